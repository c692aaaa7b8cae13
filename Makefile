# The two commands of the README, and a few for developers.
.PHONY: demo test setup lint format migrations

demo: setup
	.venv/bin/servplan demo

test:
	scripts/test

setup:
	scripts/bootstrap

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

migrations: setup
	DJANGO_SETTINGS_MODULE=servplan.settings.dev .venv/bin/python -m django makemigrations
