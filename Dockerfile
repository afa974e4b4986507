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
# Base images are NOT yet pinned by digest: this file was written where no registry could be
# reached to read the current digests, and a made-up digest would be worse than none. Before
# building releases, pin both FROM lines to the digest you verified, e.g.
#   crane digest golang:1.26                               (or: docker buildx imagetools inspect)
#   crane digest gcr.io/distroless/static-debian12:nonroot
# then write them as   FROM golang:1.26@sha256:<digest> AS build
#                      FROM gcr.io/distroless/static-debian12:nonroot@sha256:<digest>
# (the tag stays for readers; the digest is what is pulled) and let a bot such as Renovate or
# Dependabot propose the updates.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/relais . \
 && /out/relais version \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
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
