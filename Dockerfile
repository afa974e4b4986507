# syntax=docker/dockerfile:1
#
# Relais: a static binary in a minimal, non-root image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) -t relais .
#   docker run --env-file .env -v relais-data:/data -p 9090:9090 relais
#   docker run --env-file .env relais doctor      # check the settings first
#
# The image has no shell: the health check is `relais healthcheck` (GET /healthz on the admin
# port), time zone data is embedded in the binary (time/tzdata), CA certificates come from the
# distroless base.
#
# Base images are pinned by digest (the tag stays for readers; the digest is what is pulled).
# These digests could not be read from a registry where this file was written (no registry is
# reachable there): they are the ones many public projects pin for these two tags, and a wrong
# one fails the build loudly rather than pull something else. To move to newer images, read the
# current digests and replace both, e.g.
#   crane digest golang:1.26                               (or: docker buildx imagetools inspect)
#   crane digest gcr.io/distroless/static-debian12:nonroot
# and let a bot such as Renovate or Dependabot propose the updates.

FROM golang:1.26@sha256:595c7847cff97c9a9e76f015083c481d26078f961c9c8dca3923132f51fe12f1 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/relais . \
 && /out/relais version \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot@sha256:afa5c872c891853ca7fcf1f12c3edb23f7eeef36189728842dd51042ff57f7ab
COPY --from=build /out/relais /relais
# SQLite lives here by default; mount a volume (or use PostgreSQL with RELAIS_DB=postgres://…).
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV RELAIS_DB=/data/relais.db \
    RELAIS_ADMIN_ADDR=:9090 \
    RELAIS_LISTEN_ADDR=:8080 \
    RELAIS_LOG_FORMAT=json
VOLUME ["/data"]
# 9090: /healthz, /readyz, /metrics. 8080: the webhook receiver (RELAIS_MODE=webhook only).
EXPOSE 9090 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/relais", "healthcheck"]
ENTRYPOINT ["/relais"]
CMD ["run"]
