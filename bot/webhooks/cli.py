"""`p1 webhooks`: the PharmaOne webhook relay on a port of its own (registered by importing this module)."""

from __future__ import annotations

import typer

from toolkit.cli import app


@app.command("webhooks")
def webhooks_command(
    port: int = typer.Option(8081, min=1, max=65535, help="Port to listen on, e.g. --port 8081."),
    host: str = typer.Option("0.0.0.0", help="Interface to listen on, e.g. --host 127.0.0.1."),
    sandbox: bool = typer.Option(
        False,
        "--sandbox",
        help="Try it without PharmaOne: an embedded sandbox delivers to this receiver; without "
        "SLACK_BOT_TOKEN the messages show in the terminal.",
    ),
) -> None:
    """Relay PharmaOne webhooks to Slack: receive signed deliveries on /webhooks/pharmaone and post each
    event once to its channel. For bots in Socket Mode; `p1 bot --http` serves the same route itself.

    Needs P1_WEBHOOK_SECRETS=whsec_new,whsec_old (the subscription's signing secrets), a channel
    (P1_WEBHOOK_CHANNEL=C0123 and/or P1_WEBHOOK_CHANNELS='{"low_stock": "C0456", "order_updated": null}')
    and SLACK_BOT_TOKEN; P1_BOT_DB is where deliveries are recorded. Example: p1 webhooks --port 8081
    """
    from bot.webhooks.serve import WebhookSetupError, run_webhooks

    try:
        run_webhooks(host=host, port=port, sandbox=sandbox)
    except WebhookSetupError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("Stopped.")
