# Latigo: make targets for building, running, testing and operating.
# `make` alone lists the targets with their descriptions.

SHELL := /bin/bash
.DEFAULT_GOAL := help

NODE_MODULES := node_modules/.latigo-installed
DOCKER_REGISTRY ?= $(shell echo $${DOCKER_REGISTRY:-})
DOCKER_REPO ?= latigo
IMAGE_TAG ?= $(shell node -p "require('./package.json').version" 2>/dev/null || echo latest)
KEY_VAULT ?= $(shell echo $${LATIGO_KEY_VAULT:-})

.PHONY: help
help: ## Show this list of targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(NODE_MODULES): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

.PHONY: install
install: $(NODE_MODULES) ## Install the npm packages (npm ci)

# dist/ as of the last compile; `run` compiles again only when a source file changed since.
BUILT := dist/.latigo-built
TS_SOURCES := $(shell find src test -name '*.ts' 2>/dev/null) set_env.ts vitest.config.ts tsconfig.json

$(BUILT): $(NODE_MODULES) $(TS_SOURCES)
	npm run build
	@touch $@

.PHONY: build
build: $(NODE_MODULES) ## Compile TypeScript into dist/
	npm run build
	@touch $(BUILT)

.PHONY: run
run: $(BUILT) ## Run the embedded mode on the SKAB sample (Ctrl-C to stop)
	node dist/src/cli/main.js run

.PHONY: run-once
run-once: $(BUILT) ## Run the embedded mode once over the sample's windows and exit
	node dist/src/cli/main.js run --once

.PHONY: test
test: $(NODE_MODULES) kafka-fetch ## Run the whole test suite: format, lint, type check, unit and integration tests
	npm run check

.PHONY: lint
lint: $(NODE_MODULES) ## Lint and check formatting
	npm run format:check && npm run lint

.PHONY: format
format: $(NODE_MODULES) ## Format every file with Prettier
	npm run format

.PHONY: kafka-fetch
kafka-fetch: ## Fetch the Kafka broker's jars from Maven Central into .cache/kafka
	bash deploy/kafka/broker.sh fetch

.PHONY: kafka-start
kafka-start: kafka-fetch ## Start a local single-node Kafka broker on 127.0.0.1
	bash deploy/kafka/broker.sh start

.PHONY: kafka-stop
kafka-stop: ## Stop the local Kafka broker
	bash deploy/kafka/broker.sh stop

.PHONY: bench
bench: build kafka-fetch ## Run the Kafka task-queue benchmark against a local broker
	npm run bench:kafka

.PHONY: up
up: ## Build the image and start Kafka, the stand-ins, the scheduler and two executors (docker compose)
	docker compose up --build

.PHONY: down
down: ## Stop the docker compose services
	docker compose down

.PHONY: docker-build
docker-build: ## Build the Latigo image
	docker build -t $(DOCKER_REGISTRY)/$(DOCKER_REPO):$(IMAGE_TAG) .

.PHONY: docker-push
docker-push: docker-build ## Push the Latigo image to $DOCKER_REGISTRY/$DOCKER_REPO
	docker push $(DOCKER_REGISTRY)/$(DOCKER_REPO):$(IMAGE_TAG)

.PHONY: login-azure
login-azure: ## Log in to Azure (az login)
	az login

.PHONY: login-docker
login-docker: ## Log in to the docker registry with $DOCKER_USERNAME / $DOCKER_PASSWORD
	@echo "$${DOCKER_PASSWORD:?set DOCKER_PASSWORD}" | docker login "$(DOCKER_REGISTRY)" -u "$${DOCKER_USERNAME:?set DOCKER_USERNAME}" --password-stdin

.PHONY: get-secrets
get-secrets: ## Download the config overlays from Azure Key Vault $LATIGO_KEY_VAULT into ./secrets/
	@test -n "$(KEY_VAULT)" || { echo "set LATIGO_KEY_VAULT to the key vault name"; exit 2; }
	@mkdir -p secrets
	az keyvault secret show --vault-name "$(KEY_VAULT)" --name latigo-scheduler-config-yaml --query value -o tsv > secrets/scheduler_local.yaml
	az keyvault secret show --vault-name "$(KEY_VAULT)" --name latigo-executor-config-yaml --query value -o tsv > secrets/executor_local.yaml
	@echo "wrote secrets/scheduler_local.yaml and secrets/executor_local.yaml (git-ignored)"

.PHONY: set-secrets
set-secrets: $(BUILT) ## Validate ./secrets/*_local.yaml, then upload them to Azure Key Vault $LATIGO_KEY_VAULT
	@test -n "$(KEY_VAULT)" || { echo "set LATIGO_KEY_VAULT to the key vault name"; exit 2; }
	node dist/src/cli/main.js config scheduler --config secrets/scheduler_local.yaml > /dev/null
	node dist/src/cli/main.js config executor --config secrets/executor_local.yaml > /dev/null
	az keyvault secret set --vault-name "$(KEY_VAULT)" --name latigo-scheduler-config-yaml --file secrets/scheduler_local.yaml > /dev/null
	az keyvault secret set --vault-name "$(KEY_VAULT)" --name latigo-executor-config-yaml --file secrets/executor_local.yaml > /dev/null
	@echo "uploaded both config overlays"

.PHONY: k8s-apply
k8s-apply: ## Apply the Kubernetes manifests in deploy/k8s to the current kubectl context
	kubectl apply -k deploy/k8s

.PHONY: clean
clean: ## Remove build output and caches (keeps node_modules)
	rm -rf dist coverage .cache/kafka/run
