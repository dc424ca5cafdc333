# cpp-proxy as one static binary (musl) on a distroless base, running as a non-root user.
# The app is not baked in: mount a dist/ made by scripts/build.sh and pass --static, or build a
# two-line image FROM this one that copies it (docs/deploy.md, "A container").
#   docker build -t cpp-proxy .
#   docker run -p 127.0.0.1:8787:8787 -v "$PWD/dist:/srv/app:ro" cpp-proxy --static /srv/app
# With a credential of its own (CPP_PROXY_TOKEN, a service principal) the proxy refuses to
# listen beyond loopback unless given --allow-anonymous (docs/deploy.md).
FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add x86_64-unknown-linux-musl
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p cpp-proxy --bin cpp-proxy --target x86_64-unknown-linux-musl \
 && cp target/x86_64-unknown-linux-musl/release/cpp-proxy /cpp-proxy

# No shell, no package manager, no libc: the binary needs none of them.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /cpp-proxy /cpp-proxy
USER nonroot:nonroot
EXPOSE 8787
# Inside a container it must listen beyond loopback; put TLS in front (a load balancer).
ENTRYPOINT ["/cpp-proxy", "--listen", "0.0.0.0:8787"]
