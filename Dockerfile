# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The server only: the web workspace (web/) and its dependencies stay out of the image.
RUN npm ci --workspaces=false
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build:server && npm prune --omit=dev --workspaces=false

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# A bounded old generation makes V8 collect garbage before RSS grows (a million-row export
# otherwise leaves hundreds of MB of garbage uncollected); the live set stays far below it.
CMD ["node", "--max-old-space-size=192", "dist/src/main.js"]
