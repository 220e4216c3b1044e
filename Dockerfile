# The furl-kit image for docker-compose.yml: the repo, its pinned dependencies and the synthesized aws template.
# Official base image only (node:24, the LTS, on Debian bookworm, slim).
FROM node:24-bookworm-slim

ENV CDK_DISABLE_VERSION_CHECK=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app
RUN chown node:node /app && mkdir -p /state && chown node:node /state
USER node

# Dependencies first: this layer is reused until package-lock.json changes.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci

COPY --chown=node:node . .
# Bundles the function and the page, then synthesizes the aws template the kit serves Cognito, CloudFront,
# WAF and the site from (cdk.out). The deploy service synthesizes the localstack variant at deploy time.
RUN npm run synth

EXPOSE 3000 3001 3003 3004
CMD ["npx", "tsx", "localdev/src/localstack/cli.ts"]
