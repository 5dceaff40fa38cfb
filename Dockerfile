# The same image as `make image` (tools/mkimage.py), for those who build with
# Docker: build the binary first (`make`), then `docker build -t scratchd .`
# and `docker run -p 8080:8080 -v "$PWD/www:/srv:ro" scratchd`.
# One file: no shell, no libc, no curl; the health check is scratchd itself.
FROM scratch
COPY build/scratchd /
USER 65534:65534
EXPOSE 8080
HEALTHCHECK CMD ["/scratchd", "--check", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/scratchd"]
CMD ["--addr", "0.0.0.0", "--port", "8080", "--health-path", "/healthz", "/srv"]
