#!/usr/bin/env bash
# crypto_bench.sh BENCH - make bench-crypto: the crypto layer's speed beside
# OpenSSL's (`openssl speed`, the same operations, one core), and the ratio.
# For the public-key operations the ratio is our time over OpenSSL's (the
# goals: X25519 <= 2x, P-256 signing <= 4x); for the AEADs it is our MB/s
# over OpenSSL's (the goals: AES-128-GCM >= 1 GB/s, ChaCha20-Poly1305 >=
# 0.5 GB/s, absolute). Both run on the same core, one after the other.
set -u
bench=$1
secs=${BENCH_SECONDS:-2}
ours=$(BENCH_SECONDS=$secs taskset -c 0 "$bench") || exit 1
command -v openssl >/dev/null || { echo "openssl is not installed"; echo "$ours"; exit 1; }
pk=$(taskset -c 0 openssl speed -seconds "$secs" ecdhx25519 ecdhp256 ecdsap256 2>/dev/null)
aes=$(taskset -c 0 openssl speed -seconds "$secs" -bytes 16384 -evp aes-128-gcm 2>/dev/null)
cha=$(taskset -c 0 openssl speed -seconds "$secs" -bytes 16384 -evp chacha20-poly1305 2>/dev/null)

ours_of() { awk -v k="$1" '$1 == k { print $2 }' <<<"$ours"; }
# openssl's summary lines: "253 bits ecdh (X25519)   0.0000s  24622.5" (op/s last),
# " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  40991.4  14122.6" (sign/s, verify/s),
# "AES-128-GCM  4499543.22k" (1000s of bytes per second)
x_ops=$(awk '/ecdh \(X25519\)/ { print $NF }' <<<"$pk")
p_ops=$(awk '/ecdh \(nistp256\)/ { print $NF }' <<<"$pk")
s_ops=$(awk '/ecdsa \(nistp256\)/ { print $(NF-1) }' <<<"$pk")
v_ops=$(awk '/ecdsa \(nistp256\)/ { print $NF }' <<<"$pk")
a_kb=$(awk 'tolower($1) ~ /^aes-128-gcm$/ { sub("k", "", $NF); print $NF }' <<<"$aes")
c_kb=$(awk 'tolower($1) ~ /^chacha20-poly1305$/ { sub("k", "", $NF); print $NF }' <<<"$cha")

printf '%-34s %14s %14s %10s\n' "operation (one core)" scratchd openssl ratio
row_time() {	# NAME OUR_US OPENSSL_OPS
	awk -v n="$1" -v us="$2" -v ops="$3" 'BEGIN {
		if (us == "" || ops == "") { printf "%-34s %14s %14s %10s\n", n, us, "?", "?"; exit }
		o = 1e6 / ops; printf "%-34s %11.1f us %11.1f us %9.2fx\n", n, us, o, us / o }'
}
row_rate() {	# NAME OUR_MBS OPENSSL_KBS
	awk -v n="$1" -v mb="$2" -v kb="$3" 'BEGIN {
		if (mb == "") { printf "%-34s %14s %14s %10s\n", n, "absent", "-", "-"; exit }
		o = kb / 1000; printf "%-34s %9.0f MB/s %9.0f MB/s %9.2fx\n", n, mb, o, (o > 0 ? mb / o : 0) }'
}
row_time "X25519 shared secret" "$(ours_of x25519)" "$x_ops"
row_time "P-256 ECDH" "$(ours_of p256-ecdh)" "$p_ops"
row_time "P-256 ECDSA sign (+ verify after)" "$(ours_of p256-sign)" "$s_ops"
row_time "P-256 ECDSA verify" "$(ours_of p256-verify)" "$v_ops"
row_rate "AES-128-GCM seal 16 KiB" "$(ours_of aes-128-gcm-seal)" "$a_kb"
row_rate "AES-128-GCM open 16 KiB" "$(ours_of aes-128-gcm-open)" "$a_kb"
row_rate "ChaCha20-Poly1305 seal 16 KiB" "$(ours_of chacha20-poly1305-seal)" "$c_kb"
row_rate "ChaCha20-Poly1305 open 16 KiB" "$(ours_of chacha20-poly1305-open)" "$c_kb"
echo "(P-256 key generation, the ephemeral key of a handshake: $(ours_of p256-keygen) us; openssl speed has no such line)"
