# syntax=docker/dockerfile:1
# The Node base image: the official one by default; test/container/build-and-smoke.sh passes a
# locally built equivalent where no registry is reachable (--build-arg NODE_IMAGE=…).
# Node 24.18: 24.19-24.21 abort at teardown with better-sqlite3 12 (nodejs/node#65446); see .ci/run.
ARG NODE_IMAGE=node:24.18.1-slim

# Build stage: compiles the native SQLite addon with the tools only this stage has.
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY core ./core
COPY plugins ./plugins
COPY views ./views
COPY migrations ./migrations
COPY config ./config
RUN npm run build && npm prune --omit=dev \
 && cd node_modules/better-sqlite3 && rm -rf deps src build/Release/obj build/Release/obj.target build/Release/test_extension.node build/Release/*.a
# Each plugin's static/ (its CSS, icons) keeps its place, plugins/<id>/static, and is read from there as core's static/ is.
RUN mkdir plugin-static && cp -r --parents plugins/*/static plugin-static/

# Runtime stage: Node, the production dependencies and the compiled JavaScript; no compilers.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY static ./static
COPY --from=build /app/plugin-static/ ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/core/main.js"]
