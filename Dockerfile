# syntax=docker/dockerfile:1
# Node 20 on Debian bookworm: @trufflesuite/uws-js-unofficial 20.30 is the uWebSockets.js build
# that loads on bookworm's glibc 2.36 (its binaries stop at Node 20). Moving to Node 24 on trixie
# (glibc 2.41) would use @btc-vision/uwebsockets.js 20.57 instead; both are optional dependencies
# and src/http/fronts/uws-loader.ts picks whichever loads.

# ---- build: compile TypeScript, then keep only runtime dependencies -----------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

# ---- runtime ------------------------------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The demo config binds "${SLUICE_ADDR-127.0.0.1}": loopback inside a container is unreachable
# from outside, so the image listens on every interface.
ENV SLUICE_ADDR=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/src ./dist/src
COPY --chown=node:node bin ./bin
COPY --chown=node:node conf ./conf
USER node
# Fails the image build when the shipped configuration does not compile.
RUN node bin/sluice.js -c -f conf/sluice.cfg
EXPOSE 8080
# The primary is PID 1: `docker stop` (SIGTERM) drains the workers, bounded by hard-stop-after.
CMD ["node", "bin/sluice.js", "-f", "conf/sluice.cfg"]
