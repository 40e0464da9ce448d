"""Server-side setup for scheduled runs: the automation that notifies someone when a flow run of this project
fails or crashes, in addition to the in-flow alerts for refused sources.

    python -m sakip.deploy automation            # webhook from $SAKIP_ALERT_WEBHOOK_URL
    python -m sakip.deploy automation --block slack-webhook/sakip-planners

Run against a Prefect server (PREFECT_API_URL); deploy/sakip-local.sh does it after deploying."""
from __future__ import annotations

import argparse
import os
import sys
from uuid import UUID

AUTOMATION_NAME = "sakip: flow run failed or crashed"
WEBHOOK_BLOCK_NAME = "sakip-alert-webhook"
SUBJECT = "[sakip] {{ flow.name }} run {{ flow_run.name }}: {{ flow_run.state.name }}"
BODY = ("The sakip flow run {{ flow_run.name }} ({{ flow.name }}) entered the state {{ flow_run.state.name }} "
        "at {{ flow_run.state.timestamp }}: {{ flow_run.state.message }}. Nothing was published by it; the "
        "published tables are those of the last successful run.")


def notification_block_id(webhook_url: str | None, block: str | None) -> UUID:
    """A saved notification block: the named one, or a JSON webhook block built from the URL."""
    if block:
        from prefect.blocks.core import Block

        return Block.load(block)._block_document_id
    if not webhook_url:
        raise ValueError("no channel: set SAKIP_ALERT_WEBHOOK_URL or pass --block")
    from prefect.blocks.notifications import CustomWebhookNotificationBlock

    webhook = CustomWebhookNotificationBlock(
        name="sakip", url=webhook_url, method="POST",
        json_data={"subject": "{{subject}}", "body": "{{body}}", "source": "prefect-automation",
                   "satker": None, "period": None, "failures": []})
    return webhook.save(WEBHOOK_BLOCK_NAME, overwrite=True)


def setup_failure_automation(webhook_url: str | None = None, block: str | None = None) -> UUID:
    """Create the automation (replacing an earlier one of the same name); returns its id."""
    from prefect.automations import Automation
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import EventTrigger

    block_id = notification_block_id(webhook_url, block)
    try:
        Automation.read(name=AUTOMATION_NAME).delete()
    except ValueError:  # none yet
        pass
    automation = Automation(
        name=AUTOMATION_NAME,
        description="Notifies when a flow run of sakip fails or crashes.",
        trigger=EventTrigger(
            expect={"prefect.flow-run.Failed", "prefect.flow-run.Crashed"},
            match={"prefect.resource.id": "prefect.flow-run.*"},
            match_related={"prefect.resource.role": "flow", "prefect.resource.name": "sakip-*"},
            posture="Reactive",
            threshold=1,
        ),
        actions=[SendNotification(block_document_id=block_id, subject=SUBJECT, body=BODY)],
    ).create()
    return automation.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sakip.deploy")
    sub = parser.add_subparsers(dest="command", required=True)
    auto = sub.add_parser("automation", help="notify when a sakip flow run fails or crashes")
    auto.add_argument("--block", help="a saved notification block, block-type/block-name")
    args = parser.parse_args(argv)
    try:
        automation_id = setup_failure_automation(os.environ.get("SAKIP_ALERT_WEBHOOK_URL"), args.block)
    except ValueError as exc:
        print(f"sakip: {exc}", file=sys.stderr)
        return 1
    print(f"automation '{AUTOMATION_NAME}' ready ({automation_id})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
