# The demo app in a container: `docker build -t switchboard-demo .` then
# `docker run -p 3000:3000 -e SWITCHBOARD_SECRET=$(openssl rand -base64 48) switchboard-demo`.
# See docs/guides/deployment.md (proxy, TLS, secrets, graceful shutdown, several nodes).

# Build: all dependencies (better-sqlite3 compiles if no prebuilt binary fits), the client bundle.
FROM node:20-bookworm-slim AS build
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY client ./client
COPY framework ./framework
COPY demo ./demo
RUN npm run build
# Keep production dependencies plus the dev dependencies the demo runs with: tsx runs the
# TypeScript sources on Node 20, the demo's forms validate with zod, its boards order cards with
# fractional-indexing and share descriptions with yjs, and its stores use
# better-sqlite3 (the default) or pg (optional peers of the package). npm would prune those
# again, so they go to /opt/runtime and are linked in.
RUN npm prune --omit=dev \
  && RUNTIME_PACKAGES="tsx zod better-sqlite3 pg fractional-indexing yjs" \
  && npm install --prefix /opt/runtime --no-save --no-package-lock $(for p in $RUNTIME_PACKAGES; do \
    node -p "'$p@' + require('./package.json').devDependencies['$p']"; done) \
  && for p in $RUNTIME_PACKAGES; do ln -s "/opt/runtime/node_modules/$p" "node_modules/$p"; done

# Run: no compilers, no dev dependencies, not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  HOST=0.0.0.0 \
  PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build /opt/runtime /opt/runtime
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/framework ./framework
COPY --from=build --chown=node:node /app/demo ./demo
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# SIGTERM (docker stop, a rolling deploy) closes sockets with "going away" and exits: clients
# reconnect to another node. Give it more than its 10 s limit: docker stop -t 15.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/counter').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--conditions=source", "--import", "tsx", "demo/main.ts"]
