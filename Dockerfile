# The image compose.yaml runs: the statusvakt CLI on Node 24.
FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# exactly the locked versions, so every build of an image installs the same tree
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx astro build --root status-site && npm prune --omit=dev
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
EXPOSE 3000
RUN mkdir -p /buffer /app/data && chown node /buffer /app/data
USER node
ENTRYPOINT ["node", "bin/statusvakt.js"]
CMD ["serve"]
