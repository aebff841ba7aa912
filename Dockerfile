# Build a static binary (pure-Go SQLite, no cgo), then run it as a non-root
# user on a minimal image. The health check uses busybox wget from alpine.
FROM golang:1.26-alpine AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/kaidian ./cmd/kaidian

FROM alpine:3.20
RUN addgroup -S kaidian && adduser -S -G kaidian -H kaidian \
    && mkdir /data && chown kaidian:kaidian /data
COPY --from=build /out/kaidian /usr/local/bin/kaidian
USER kaidian
ENV KAIDIAN_ADDR=:8080 KAIDIAN_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD wget -qO- http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["kaidian"]
CMD ["serve"]
