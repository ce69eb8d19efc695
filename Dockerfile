# syntax=docker/dockerfile:1
#
# The search service (and the indexer, same image): `docker compose up` uses it
# with Meilisearch, see README "Deploying". Two stages:
#   build   — compiler toolchain, all dependencies, TypeScript → dist/
#   runtime — node + production node_modules + dist/, nothing else
#
# Base: node:24.22.3-bookworm-slim for both stages (Node 24 LTS; the test suite
# passes on 24.22.3, and Node 20 is end-of-life since April 2026). The native modules
# (better-sqlite3, compiled here; @node-rs/jieba, a prebuilt binary for glibc)
# need glibc and libstdc++ in the runtime as in the build stage: the same Debian
# slim image guarantees it. Alpine (musl) would need other binaries, rebuilt or
# chosen for musl and tested separately, for a few MB less. Distroless node (also glibc)
# has no shell, so `docker compose exec` for operations and debugging is
# gone, and its Node build would differ from the build stage's. Slim keeps
# the final image to node + production node_modules + dist/.
#
# No secrets are baked in: every setting (MEILI_API_KEY, ADMIN_TOKEN, …)
# arrives as an environment variable at run time.

ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
# python3, make and g++ build better-sqlite3 when no prebuilt binary matches
# this platform.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first: this layer is rebuilt only when the lockfile changes.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY config ./config
COPY engine ./engine
COPY indexer ./indexer
COPY service ./service
COPY widget ./widget
# `npm run build` = scripts/build.js: tsc -p tsconfig.build.json to dist/,
# plus the data files and widget sources read at run time.
RUN npm run build \
    && npm prune --omit=dev

FROM ${NODE_IMAGE} AS runtime
# Stack traces in the logs point at the TypeScript lines (dist/ carries source maps).
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=3000 \
    CORPUS_DIR=/app/corpus \
    DATA_DIR=/app/data
WORKDIR /app
# Code stays owned by root: the service user can read it, not change it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The corpus (source of truth, written by POST /v1/articles) and the data
# directory (SQLite index, state) are the only writable places.
RUN mkdir -p /app/corpus /app/data \
    && chown node:node /app/corpus /app/data
USER node
VOLUME ["/app/corpus", "/app/data"]
EXPOSE 3000
# slim has no curl or wget: node's own fetch asks /readyz (503 until the
# index is loaded and the engine is reachable).
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command tests/unit/build.test.ts runs on a fresh build.
CMD ["node", "dist/service/main.js"]
