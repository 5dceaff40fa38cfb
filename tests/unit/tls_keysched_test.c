/*
 * tls_keysched_test.c - the TLS 1.3 key schedule, transcript hash and record
 * protection (src/tls/keysched.c, transcript.c, record.c), hosted, with
 * ASan and UBSan.
 *
 * RFC 8448 §3 "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256, x25519):
 * from the ECDHE secret and the RFC's messages, every secret, key and IV
 * the RFC lists, both Finished, the server's protected flight byte for byte
 * and the client's records opened. Then KeyUpdate, the HelloRetryRequest
 * transcript rewrite (RFC 8446 §4.4.1), and record properties with both
 * AEADs: open(seal(m)) == m, any flipped bit fails, padding, an all-zero
 * inner plaintext, the length limits, the sequence number's end.
 */
#include "tls_test.h"

/* ---- RFC 8448 §3 (values copied from the RFC's text) ---- */

static const char rfc_ecdhe[] =
	"8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d";

/* {client} construct a ClientHello handshake message (196 octets) */
static const char rfc_client_hello[] =
	"01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2"
	"1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7 00 00 06 13 01 13 03 13 02 01"
	"00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01 00 01 00 00"
	"0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00"
	"23 00 00 00 33 00 26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e"
	"43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69 1e 52 9a af 2c 00 2b 00"
	"03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06"
	"04 01 05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c"
	"00 02 40 01";

/* {server} construct a ServerHello handshake message (90 octets) */
static const char rfc_server_hello[] =
	"02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c"
	"8a c5 cb 14 34 da c1 55 77 2e d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24"
	"00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1 56 d6 cc 25"
	"3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04";

static const char rfc_encrypted_extensions[] =
	"08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01"
	"01 02 01 03 01 04 00 1c 00 02 40 01 00 00 00 00";

static const char rfc_certificate[] =
	"0b 00 01 b9 00 00 01 b5 00 01 b0 30 82 01 ac 30 82 01 15 a0 03 02 01 02"
	"02 01 02 30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00 30 0e 31 0c 30 0a"
	"06 03 55 04 03 13 03 72 73 61 30 1e 17 0d 31 36 30 37 33 30 30 31 32 33"
	"35 39 5a 17 0d 32 36 30 37 33 30 30 31 32 33 35 39 5a 30 0e 31 0c 30 0a"
	"06 03 55 04 03 13 03 72 73 61 30 81 9f 30 0d 06 09 2a 86 48 86 f7 0d 01"
	"01 01 05 00 03 81 8d 00 30 81 89 02 81 81 00 b4 bb 49 8f 82 79 30 3d 98"
	"08 36 39 9b 36 c6 98 8c 0c 68 de 55 e1 bd b8 26 d3 90 1a 24 61 ea fd 2d"
	"e4 9a 91 d0 15 ab bc 9a 95 13 7a ce 6c 1a f1 9e aa 6a f9 8c 7c ed 43 12"
	"09 98 e1 87 a8 0e e0 cc b0 52 4b 1b 01 8c 3e 0b 63 26 4d 44 9a 6d 38 e2"
	"2a 5f da 43 08 46 74 80 30 53 0e f0 46 1c 8c a9 d9 ef bf ae 8e a6 d1 d0"
	"3e 2b d1 93 ef f0 ab 9a 80 02 c4 74 28 a6 d3 5a 8d 88 d7 9f 7f 1e 3f 02"
	"03 01 00 01 a3 1a 30 18 30 09 06 03 55 1d 13 04 02 30 00 30 0b 06 03 55"
	"1d 0f 04 04 03 02 05 a0 30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00 03"
	"81 81 00 85 aa d2 a0 e5 b9 27 6b 90 8c 65 f7 3a 72 67 17 06 18 a5 4c 5f"
	"8a 7b 33 7d 2d f7 a5 94 36 54 17 f2 ea e8 f8 a5 8c 8f 81 72 f9 31 9c f3"
	"6b 7f d6 c5 5b 80 f2 1a 03 01 51 56 72 60 96 fd 33 5e 5e 67 f2 db f1 02"
	"70 2e 60 8c ca e6 be c1 fc 63 a4 2a 99 be 5c 3e b7 10 7c 3c 54 e9 b9 eb"
	"2b d5 20 3b 1c 3b 84 e0 a8 b2 f7 59 40 9b a3 ea c9 d9 1d 40 2d cc 0c c8"
	"f8 96 12 29 ac 91 87 b4 2b 4d e1 00 00";

static const char rfc_certificate_verify[] =
	"0f 00 00 84 08 04 00 80 5a 74 7c 5d 88 fa 9b d2 e5 5a b0 85 a6 10 15 b7"
	"21 1f 82 4c d4 84 14 5a b3 ff 52 f1 fd a8 47 7b 0b 7a bc 90 db 78 e2 d3"
	"3a 5c 14 1a 07 86 53 fa 6b ef 78 0c 5e a2 48 ee aa a7 85 c4 f3 94 ca b6"
	"d3 0b be 8d 48 59 ee 51 1f 60 29 57 b1 54 11 ac 02 76 71 45 9e 46 44 5c"
	"9e a5 8c 18 1e 81 8e 95 b8 c3 fb 0b f3 27 84 09 d3 be 15 2a 3d a5 04 3e"
	"06 3d da 65 cd f5 ae a2 0d 53 df ac d4 2f 74 f3";

static const char rfc_server_finished[] =
	"14 00 00 20 9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30"
	"95 72 cb 7f ff ee 54 54 b7 8f 07 18";

static const char rfc_client_finished[] =
	"14 00 00 20 a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94"
	"fa c6 e9 85 27 b6 42 f2 ed d5 ce 61";

/* {server} send handshake record: EncryptedExtensions..Finished (679 octets) */
static const char rfc_server_flight_record[] =
	"17 03 03 02 a2 d1 ff 33 4a 56 f5 bf f6 59 4a 07 cc 87 b5 80 23 3f 50 0f"
	"45 e4 89 e7 f3 3a f3 5e df 78 69 fc f4 0a a4 0a a2 b8 ea 73 f8 48 a7 ca"
	"07 61 2e f9 f9 45 cb 96 0b 40 68 90 51 23 ea 78 b1 11 b4 29 ba 91 91 cd"
	"05 d2 a3 89 28 0f 52 61 34 aa dc 7f c7 8c 4b 72 9d f8 28 b5 ec f7 b1 3b"
	"d9 ae fb 0e 57 f2 71 58 5b 8e a9 bb 35 5c 7c 79 02 07 16 cf b9 b1 18 3e"
	"f3 ab 20 e3 7d 57 a6 b9 d7 47 76 09 ae e6 e1 22 a4 cf 51 42 73 25 25 0c"
	"7d 0e 50 92 89 44 4c 9b 3a 64 8f 1d 71 03 5d 2e d6 5b 0e 3c dd 0c ba e8"
	"bf 2d 0b 22 78 12 cb b3 60 98 72 55 cc 74 41 10 c4 53 ba a4 fc d6 10 92"
	"8d 80 98 10 e4 b7 ed 1a 8f d9 91 f0 6a a6 24 82 04 79 7e 36 a6 a7 3b 70"
	"a2 55 9c 09 ea d6 86 94 5b a2 46 ab 66 e5 ed d8 04 4b 4c 6d e3 fc f2 a8"
	"94 41 ac 66 27 2f d8 fb 33 0e f8 19 05 79 b3 68 45 96 c9 60 bd 59 6e ea"
	"52 0a 56 a8 d6 50 f5 63 aa d2 74 09 96 0d ca 63 d3 e6 88 61 1e a5 e2 2f"
	"44 15 cf 95 38 d5 1a 20 0c 27 03 42 72 96 8a 26 4e d6 54 0c 84 83 8d 89"
	"f7 2c 24 46 1a ad 6d 26 f5 9e ca ba 9a cb bb 31 7b 66 d9 02 f4 f2 92 a3"
	"6a c1 b6 39 c6 37 ce 34 31 17 b6 59 62 22 45 31 7b 49 ee da 0c 62 58 f1"
	"00 d7 d9 61 ff b1 38 64 7e 92 ea 33 0f ae ea 6d fa 31 c7 a8 4d c3 bd 7e"
	"1b 7a 6c 71 78 af 36 87 90 18 e3 f2 52 10 7f 24 3d 24 3d c7 33 9d 56 84"
	"c8 b0 37 8b f3 02 44 da 8c 87 c8 43 f5 e5 6e b4 c5 e8 28 0a 2b 48 05 2c"
	"f9 3b 16 49 9a 66 db 7c ca 71 e4 59 94 26 f7 d4 61 e6 6f 99 88 2b d8 9f"
	"c5 08 00 be cc a6 2d 6c 74 11 6d bd 29 72 fd a1 fa 80 f8 5d f8 81 ed be"
	"5a 37 66 89 36 b3 35 58 3b 59 91 86 dc 5c 69 18 a3 96 fa 48 a1 81 d6 b6"
	"fa 4f 9d 62 d5 13 af bb 99 2f 2b 99 2f 67 f8 af e6 7f 76 91 3f a3 88 cb"
	"56 30 c8 ca 01 e0 c6 5d 11 c6 6a 1e 2a c4 c8 59 77 b7 c7 a6 99 9b bf 10"
	"dc 35 ae 69 f5 51 56 14 63 6c 0b 9b 68 c1 9e d2 e3 1c 0b 3b 66 76 30 38"
	"eb ba 42 f3 b3 8e dc 03 99 f3 a9 f2 3f aa 63 97 8c 31 7f c9 fa 66 a7 3f"
	"60 f0 50 4d e9 3b 5b 84 5e 27 55 92 c1 23 35 ee 34 0b bc 4f dd d5 02 78"
	"40 16 e4 b3 be 7e f0 4d da 49 f4 b4 40 a3 0c b5 d2 af 93 98 28 fd 4a e3"
	"79 4e 44 f9 4d f5 a6 31 ed e4 2c 17 19 bf da bf 02 53 fe 51 75 be 89 8e"
	"75 0e dc 53 37 0d 2b";

/* {client} send handshake record: the client's Finished (58 octets) */
static const char rfc_client_finished_record[] =
	"17 03 03 00 35 75 ec 4d c2 38 cc e6 0b 29 80 44 a7 1e 21 9c 56 cc 77 b0"
	"51 7f e9 b9 3c 7a 4b fc 44 d8 7f 38 f8 03 38 ac 98 fc 46 de b3 84 bd 1c"
	"ae ac ab 68 67 d7 26 c4 05 46";

/* application data both ways (50 octets: 00 01 .. 31), then close_notify;
 * the server's record is its second under its application key (a
 * NewSessionTicket went first) */
static const char rfc_client_app_record[] =
	"17 03 03 00 43 a2 3f 70 54 b6 2c 94 d0 af fa fe 82 28 ba 55 cb ef ac ea"
	"42 f9 14 aa 66 bc ab 3f 2b 98 19 a8 a5 b4 6b 39 5b d5 4a 9a 20 44 1e 2b"
	"62 97 4e 1f 5a 62 92 a2 97 70 14 bd 1e 3d ea e6 3a ee bb 21 69 49 15 e4";
static const char rfc_server_app_record[] =
	"17 03 03 00 43 2e 93 7e 11 ef 4a c7 40 e5 38 ad 36 00 5f c4 a4 69 32 fc"
	"32 25 d0 5f 82 aa 1b 36 e3 0e fa f9 7d 90 e6 df fc 60 2d cb 50 1a 59 a8"
	"fc c4 9c 4b f2 e5 f0 a2 1c 00 47 c2 ab f3 32 54 0d d0 32 e1 67 c2 95 5d";
static const char rfc_client_alert_record[] =
	"17 03 03 00 13 c9 87 27 60 65 56 66 b7 4d 7f f1 15 3e fd 6d b6 d0 b0 e3";
static const char rfc_server_alert_record[] =
	"17 03 03 00 13 b5 8f d6 71 66 eb f5 99 d2 47 20 cf be 7e fa 7a 88 64 a9";

static uint8_t buf[32768];

/* Add the RFC message hex to the transcript. */
static void add_message(struct transcript *tr, const char *hex)
{
	size_t n = unhex(buf, hex);

	tr_add(tr, buf, n);
}

static void test_rfc8448(int have_gcm)
{
	uint8_t ecdhe[32], hash[32], chs[32], shs[32], cap[32], sap[32], key[16], iv[12], fk[32], verify[32];
	uint8_t rec[1024], type;
	struct ks_early early;
	struct ks_handshake hs;
	struct ks_master master;
	struct transcript tr;
	struct tls_cipher c;
	size_t n, len;

	/* HKDF-Expand-Label on its own: the server handshake key and IV */
	unhex(shs, "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38");
	tls_expand_label(key, 16, shs, "key", NULL, 0);
	is_hex(key, 16, "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc", "HKDF-Expand-Label(s hs traffic, key)");
	tls_expand_label(iv, 12, shs, "iv", NULL, 0);
	is_hex(iv, 12, "5d 31 3e b2 67 12 76 ee 13 00 0b 30", "HKDF-Expand-Label(s hs traffic, iv)");

	ks_early(&early);
	is_hex(early.secret, 32, "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2"
	                         "10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a",
	       "early secret");
	{
		uint8_t derived[32];

		sha256(hash, "", 0);
		tls_derive_secret(derived, early.secret, "derived", hash);
		is_hex(derived, 32, "6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97"
		                    "16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba",
		       "derive secret for handshake \"tls13 derived\"");
	}
	unhex(ecdhe, rfc_ecdhe);
	ks_handshake(&hs, &early, ecdhe);
	is_hex(hs.secret, 32, "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01"
	                      "04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac",
	       "handshake secret");
	ok(early.secret[0] == 0 && memcmp(early.secret, early.secret + 1, 31) == 0, "the early secret is wiped");

	tr_init(&tr);
	add_message(&tr, rfc_client_hello);
	add_message(&tr, rfc_server_hello);
	tr_hash(&tr, hash);
	is_hex(hash, 32, "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed"
	                 "d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8",
	       "transcript hash ClientHello..ServerHello");
	ks_handshake_traffic(&hs, hash, chs, shs);
	is_hex(chs, 32, "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f"
	                "3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21",
	       "client handshake traffic secret");
	is_hex(shs, 32, "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4"
	                "e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38",
	       "server handshake traffic secret");
	ks_traffic_key(shs, key, 16, iv);
	is_hex(key, 16, "3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc", "server handshake key");
	is_hex(iv, 12, "5d 31 3e b2 67 12 76 ee 13 00 0b 30", "server handshake iv");
	ks_traffic_key(chs, key, 16, iv);
	is_hex(key, 16, "db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01", "client handshake key");
	is_hex(iv, 12, "5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f", "client handshake iv");

	ks_master(&master, &hs);
	is_hex(master.secret, 32, "18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47"
	                          "80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19",
	       "master secret");

	/* the server's Finished over ClientHello..CertificateVerify */
	add_message(&tr, rfc_encrypted_extensions);
	add_message(&tr, rfc_certificate);
	add_message(&tr, rfc_certificate_verify);
	ks_finished_key(fk, shs);
	is_hex(fk, 32, "00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f"
	               "c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8",
	       "server finished key");
	tr_hash(&tr, hash);
	ks_finished(verify, fk, hash);
	n = unhex(buf, rfc_server_finished);
	ok(n == 36 && memcmp(verify, buf + 4, 32) == 0, "server Finished verify_data");
	add_message(&tr, rfc_server_finished);
	tr_hash(&tr, hash);
	is_hex(hash, 32, "96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a"
	                 "00 0e aa da 3d aa e4 77 7a 76 86 c9 ff 83 df 13",
	       "transcript hash ClientHello..server Finished");
	ks_finished_key(fk, chs);
	is_hex(fk, 32, "b8 0a d0 10 15 fb 2f 0b d6 5f f7 d4 da 5d 6b f8"
	               "3f 84 82 1d 1f 87 fd c7 d3 c7 5b 5a 7b 42 d9 c4",
	       "client finished key");
	ks_finished(verify, fk, hash);
	n = unhex(buf, rfc_client_finished);
	ok(n == 36 && memcmp(verify, buf + 4, 32) == 0, "client Finished verify_data");

	ks_app_traffic(&master, hash, cap, sap);
	is_hex(cap, 32, "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52"
	                "87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5",
	       "client application traffic secret 0");
	is_hex(sap, 32, "a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32"
	                "82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43",
	       "server application traffic secret 0");
	ok(master.secret[0] == 0 && memcmp(master.secret, master.secret + 1, 31) == 0, "the master secret is wiped");
	ks_traffic_key(sap, key, 16, iv);
	is_hex(key, 16, "9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56", "server application key");
	is_hex(iv, 12, "cf 78 2b 88 dd 83 54 9a ad f1 e9 84", "server application iv");
	ks_traffic_key(cap, key, 16, iv);
	is_hex(key, 16, "17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51", "client application key");
	is_hex(iv, 12, "5b 78 92 3d ee 08 57 90 33 e5 23 d9", "client application iv");

	if (!have_gcm) {
		printf("# skip: no AES-GCM instructions here, RFC 8448 records not checked\n");
		return;
	}
	/* the server's flight, sealed: EncryptedExtensions..Finished */
	ok(rec_set_key(&c, TLS_AES_128_GCM_SHA256, shs) == 0, "install the server handshake key");
	len = unhex(rec + 5, rfc_encrypted_extensions);
	len += unhex(rec + 5 + len, rfc_certificate);
	len += unhex(rec + 5 + len, rfc_certificate_verify);
	len += unhex(rec + 5 + len, rfc_server_finished);
	n = rec_seal(&c, rec, len, TLS_CT_HANDSHAKE);
	is_hex(rec, n, rfc_server_flight_record, "the server's protected flight, byte for byte");
	ok(c.seq == 1, "sequence number 1 after it");

	/* the client's Finished, opened */
	ok(rec_set_key(&c, TLS_AES_128_GCM_SHA256, chs) == 0, "install the client handshake key");
	n = unhex(rec, rfc_client_finished_record);
	ok(rec_open(&c, rec, n - 5, &type, &len) == 0 && type == TLS_CT_HANDSHAKE, "open the client's Finished record");
	is_hex(rec + 5, len, rfc_client_finished, "its content is the client's Finished");

	/* application data and close_notify */
	{
		uint8_t payload[50];

		for (int i = 0; i < 50; i++)
			payload[i] = (uint8_t)i;
		ok(rec_set_key(&c, TLS_AES_128_GCM_SHA256, cap) == 0, "install the client application key");
		n = unhex(rec, rfc_client_app_record);
		ok(rec_open(&c, rec, n - 5, &type, &len) == 0 && type == TLS_CT_APPLICATION_DATA && len == 50 &&
		   memcmp(rec + 5, payload, 50) == 0, "open the client's application data");
		n = unhex(rec, rfc_client_alert_record);
		ok(rec_open(&c, rec, n - 5, &type, &len) == 0 && type == TLS_CT_ALERT && len == 2 && rec[5] == 1 &&
		   rec[6] == 0, "open the client's close_notify");
		ok(rec_set_key(&c, TLS_AES_128_GCM_SHA256, sap) == 0, "install the server application key");
		c.seq = 1;	/* after the RFC's NewSessionTicket */
		memcpy(rec + 5, payload, 50);
		n = rec_seal(&c, rec, 50, TLS_CT_APPLICATION_DATA);
		is_hex(rec, n, rfc_server_app_record, "seal the server's application data");
		rec[5] = 1;
		rec[6] = 0;
		n = rec_seal(&c, rec, 2, TLS_CT_ALERT);
		is_hex(rec, n, rfc_server_alert_record, "seal the server's close_notify");
		rec_wipe(&c);
		ok(c.suite == 0 && c.seq == 0, "rec_wipe clears the key state");
	}
}

/* §7.2: application_traffic_secret_1 (computed with Python's hmac) */
static void test_key_update(void)
{
	uint8_t s[32], key[16], iv[12];

	unhex(s, "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5");
	ks_next_traffic(s);
	is_hex(s, 32, "fcdfcc72725aaee48bf64e4fd8b749cdbdbab39d90da0b26e2245ca6ea167207",
	       "KeyUpdate: client application traffic secret 1");
	ks_traffic_key(s, key, 16, iv);
	is_hex(key, 16, "3879d82f5f14056e623f2ce5bfc66fce", "its key");
	is_hex(iv, 12, "5dfb2c5938c3379b6cc5d1f2", "its iv");
}

/* §4.4.1: Hash(message_hash || 00 00 20 || Hash(CH1) || HRR || CH2) */
static void test_hello_retry_transcript(void)
{
	static const uint8_t hrr[] = { 2, 0, 0, 4, 1, 2, 3, 4 }, ch2[] = { 1, 0, 0, 2, 9, 9 };
	uint8_t ch1[300], manual[4 + 32 + sizeof(hrr) + sizeof(ch2)], want[32], got[32];
	struct transcript tr;
	size_t n = unhex(ch1, rfc_client_hello);

	manual[0] = 254;
	manual[1] = 0;
	manual[2] = 0;
	manual[3] = 32;
	sha256(manual + 4, ch1, n);
	memcpy(manual + 36, hrr, sizeof(hrr));
	memcpy(manual + 36 + sizeof(hrr), ch2, sizeof(ch2));
	sha256(want, manual, sizeof(manual));

	tr_init(&tr);
	tr_add(&tr, ch1, 100);		/* in two pieces */
	tr_add(&tr, ch1 + 100, n - 100);
	tr_hello_retry(&tr);
	tr_add(&tr, hrr, sizeof(hrr));
	tr_hash(&tr, got);		/* a snapshot leaves it running */
	tr_add(&tr, ch2, sizeof(ch2));
	tr_hash(&tr, got);
	ok(memcmp(got, want, 32) == 0, "HelloRetryRequest: message_hash replaces ClientHello1");
}

static const char *suite_name(unsigned suite)
{
	return suite == TLS_AES_128_GCM_SHA256 ? "AES-128-GCM" : "ChaCha20-Poly1305";
}

static void test_record_properties(unsigned suite)
{
	static uint8_t rec[TLS_RECORD_HDR + TLS_CIPHERTEXT_MAX + 64], pt[TLS_RECORD_MAX];
	uint8_t secret[32], type;
	struct tls_cipher w, r;
	size_t n, len, sizes[] = { 0, 1, 15, 16, 17, 255, 1000, TLS_RECORD_MAX };
	const char *name = suite_name(suite);
	int all = 1;

	for (int i = 0; i < 32; i++)
		secret[i] = (uint8_t)(7 * i + 1);
	for (size_t i = 0; i < sizeof(pt); i++)
		pt[i] = (uint8_t)(i * 31 + 5);
	rec_set_key(&w, suite, secret);
	rec_set_key(&r, suite, secret);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		memcpy(rec + 5, pt, sizes[k]);
		n = rec_seal(&w, rec, sizes[k], TLS_CT_APPLICATION_DATA);
		all &= n == 5 + sizes[k] + 17 && rec[0] == 23 && rec[1] == 3 && rec[2] == 3 &&
		       (size_t)(rec[3] << 8 | rec[4]) == n - 5;
		all &= rec_open(&r, rec, n - 5, &type, &len) == 0 && type == TLS_CT_APPLICATION_DATA &&
		       len == sizes[k] && memcmp(rec + 5, pt, len) == 0;
	}
	ok(all, "%s: open(seal(m)) == m, 0 to 2^14 bytes", name);

	/* any flipped bit of header, ciphertext or tag fails, and leaves the
	 * sequence number alone */
	memcpy(rec + 5, pt, 40);
	n = rec_seal(&w, rec, 40, TLS_CT_HANDSHAKE);
	all = 1;
	for (size_t bit = 0; bit < 8 * n; bit++) {
		static uint8_t copy[128];

		if (bit / 8 == 3 || bit / 8 == 4)
			continue;	/* the length: that is another record */
		memcpy(copy, rec, n);
		copy[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		all &= rec_open(&r, copy, n - 5, &type, &len) == TLS_ALERT_BAD_RECORD_MAC;
	}
	ok(all, "%s: every flipped bit is bad_record_mac", name);
	ok(rec_open(&r, rec, n - 5, &type, &len) == 0 && len == 40 && type == TLS_CT_HANDSHAKE,
	   "%s: the untouched record still opens", name);
	memcpy(rec + 5, pt, 10);
	n = rec_seal(&w, rec, 10, TLS_CT_HANDSHAKE);
	r.seq++;
	ok(rec_open(&r, rec, n - 5, &type, &len) == TLS_ALERT_BAD_RECORD_MAC, "%s: another sequence number fails",
	   name);
	r.seq--;
	ok(rec_open(&r, rec, n - 5, &type, &len) == 0, "%s: the right one opens", name);

	/* §5.4: padding; the content type is the last non-zero byte */
	memcpy(rec + 5, "hello", 5);
	rec[10] = TLS_CT_APPLICATION_DATA;
	memset(rec + 11, 0, 100);
	n = rec_seal(&w, rec, 5 + 1 + 99, 0);
	ok(rec_open(&r, rec, n - 5, &type, &len) == 0 && type == TLS_CT_APPLICATION_DATA && len == 5 &&
	   memcmp(rec + 5, "hello", 5) == 0, "%s: padding is removed", name);
	memset(rec + 5, 0, 8);
	n = rec_seal(&w, rec, 8, 0);
	ok(rec_open(&r, rec, n - 5, &type, &len) == TLS_ALERT_UNEXPECTED_MESSAGE,
	   "%s: an all-zero inner plaintext is unexpected_message", name);

	/* §5.2, §5.4: the inner plaintext is at most 2^14 + 1 bytes */
	memset(rec + 5, 0, TLS_RECORD_MAX);
	rec[5] = 1;
	n = rec_seal(&w, rec, TLS_RECORD_MAX, 0);	/* type 1, no content, zeros to 2^14 + 1 */
	ok(rec_open(&r, rec, n - 5, &type, &len) == 0 && len == 0 && type == 1,
	   "%s: a 2^14 + 1-byte inner plaintext opens", name);
	memset(rec + 5, 0, TLS_RECORD_MAX + 1);
	rec[5] = 1;
	n = rec_seal(&w, rec, TLS_RECORD_MAX + 1, 0);
	ok(rec_open(&r, rec, n - 5, &type, &len) == TLS_ALERT_RECORD_OVERFLOW,
	   "%s: a 2^14 + 2-byte one is record_overflow", name);
	ok(rec_open(&r, rec, 16, &type, &len) == TLS_ALERT_BAD_RECORD_MAC, "%s: a body shorter than the tag fails",
	   name);

	/* §5.3: the sequence number never wraps */
	w.seq = UINT64_MAX - 1;
	r.seq = UINT64_MAX - 1;
	n = rec_seal(&w, rec, 3, TLS_CT_APPLICATION_DATA);
	ok(n == 5 + 3 + 17 && rec_open(&r, rec, n - 5, &type, &len) == 0, "%s: sequence number 2^64 - 2 works", name);
	ok(rec_seal(&w, rec, 3, TLS_CT_APPLICATION_DATA) == 0, "%s: sealing at 2^64 - 1 is refused", name);
	ok(rec_open(&r, rec, 3 + 17, &type, &len) == TLS_ALERT_BAD_RECORD_MAC, "%s: and so is opening", name);
	ok(w.seq == UINT64_MAX && r.seq == UINT64_MAX, "%s: nothing wrapped", name);
	rec_wipe(&w);
	rec_wipe(&r);
}

int main(void)
{
	int have_gcm = have_aesgcm();

	test_rfc8448(have_gcm);
	test_key_update();
	test_hello_retry_transcript();
	test_record_properties(TLS_CHACHA20_POLY1305_SHA256);
	if (have_gcm)
		test_record_properties(TLS_AES_128_GCM_SHA256);
	return done_testing();
}
