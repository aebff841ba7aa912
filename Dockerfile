# Kaidian as a container: `docker build -t kaidian .`, or `docker compose up --build`
# for Kaidian + PostgreSQL.
#
# Stage 1 builds a static binary: the SQLite driver is pure Go, so CGO_ENABLED=0
# works and the binary needs no libc.
#
# Stage 2 is alpine rather than distroless on purpose: a HEALTHCHECK needs a
# program inside the image to probe /readyz, and kaidian has no healthcheck
# subcommand, so busybox's wget does it (the same probe docker-compose.yml
# uses). The process runs as an unprivileged user that owns /data, where the
# SQLite file lives when KAIDIAN_DATABASE_URL is unset.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
# Only what the binary is built from (no ./data, no build output).
COPY cmd ./cmd
COPY internal ./internal
COPY api ./api
COPY web ./web
COPY migrations ./migrations
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /kaidian ./cmd/kaidian

FROM alpine:3.22
RUN addgroup -S -g 10001 kaidian \
    && adduser -S -D -H -u 10001 -G kaidian kaidian \
    && mkdir -p /data && chown kaidian:kaidian /data
COPY --from=build /kaidian /usr/local/bin/kaidian
ENV KAIDIAN_ADDR=:8080 \
    KAIDIAN_DATA_DIR=/data
# Declared after the chown so a new named volume starts owned by kaidian.
VOLUME /data
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD wget -q -O /dev/null http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["kaidian"]
CMD ["serve"]
