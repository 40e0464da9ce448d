"""Server-side setup for scheduled runs, and a report of it.

    python -m sakip.deploy automations           # channel: $SAKIP_ALERT_WEBHOOK_URL, saved as secrets
    python -m sakip.deploy automations --block slack-webhook/sakip-planners
    python -m sakip.deploy status                # what exists, what is missing, why

Two automations, both Prefect's own means:
- **failure**: a run of a sakip deployment that ends Failed, Crashed or TimedOut notifies the channel (its
  subflows, the months of a backfill or quarterly run, do not: one alert per run);
- **zombie**: a sakip flow run whose heartbeats stop (its worker or machine lost: `kill -9`, power) is marked
  Crashed after SAKIP_ZOMBIE_AFTER_SECONDS without one (default 900; runs send one every 30 s, the
  deployments set PREFECT_FLOWS_HEARTBEAT_FREQUENCY). Crashed frees the deployment's concurrency slot and fires
  the failure automation. The window must be longer than any outage of the server: heartbeats sent while it
  is down are lost, and a live run would be taken for a lost one (its work still publishes: the warehouse
  lock keeps runs apart).

A webhook URL is a secret: it is saved as a Prefect `Secret` block (read by flow runs for their own alerts) and
inside the notification block's secret values, the block's plain `url` field holding only a placeholder. Run
against a Prefect server (PREFECT_API_URL); deploy/sakip-local.sh does it after deploying."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from uuid import UUID

from sakip import settings
from sakip.i18n import N_, _

FAILURE_AUTOMATION = "sakip: flow run failed or crashed"
ZOMBIE_AUTOMATION = "sakip: flow run without heartbeats is crashed"
WEBHOOK_BLOCK_NAME = "sakip-alert-webhook"       # CustomWebhookNotificationBlock, for the failure automation
WEBHOOK_SECRET_NAME = "sakip-alert-webhook-url"  # Secret, for the flows' own alerts (SAKIP_ALERT_WEBHOOK_SECRET)
SAKIP_FLOWS = {"prefect.resource.role": "flow", "prefect.resource.name": "sakip-*"}
OF_A_DEPLOYMENT = {"prefect.resource.role": "deployment"}  # a subflow's events name no deployment
END_STATES = {"prefect.flow-run.Failed", "prefect.flow-run.Crashed", "prefect.flow-run.TimedOut"}
# The failure automation's notification: Jinja templates the server fills in (translated when the automation is
# created, in the language of `python -m sakip.deploy`).
# TRANSLATORS: keep every {{ … }} as it is; the flow's name stays the second word of the subject
SUBJECT = N_("[sakip] {{ flow.name }} run {{ flow_run.name }}: {{ flow_run.state.name }}")
# TRANSLATORS: keep every {{ … }} as it is
BODY = N_("The sakip flow run {{ flow_run.name }} ({{ flow.name }}) entered the state {{ flow_run.state.name }} "
          "at {{ flow_run.state.timestamp }}: {{ flow_run.state.message }}. Nothing was published by it; the "
          "published tables are those of the last successful run.")
# What `status` says of each thing it finds (its codes, returned by `status()`, decide the exit status)
STATES = {"ok": N_("ok"), "missing": N_("missing"), "off": N_("off"), "absent": N_("absent")}


def save_webhook(webhook_url: str) -> UUID:
    """The URL as a Secret block and as the secret value of a JSON webhook notification block; returns the
    notification block's id."""
    from prefect.blocks.notifications import CustomWebhookNotificationBlock
    from prefect.blocks.system import Secret

    Secret(value=webhook_url).save(WEBHOOK_SECRET_NAME, overwrite=True)
    webhook = CustomWebhookNotificationBlock(
        name="sakip", url="{{webhook_url}}", secrets={"webhook_url": webhook_url}, method="POST",
        json_data={"subject": "{{subject}}", "body": "{{body}}", "source": "prefect-automation",
                   "satker": None, "period": None, "failures": []})
    return webhook.save(WEBHOOK_BLOCK_NAME, overwrite=True)


def notification_block_id(webhook_url: str | None, block: str | None) -> UUID:
    """The failure automation's channel: the named notification block, else the JSON webhook block built from
    the URL. A URL is saved (as secrets) whenever it is given: the flows read it for their own alerts."""
    saved = save_webhook(webhook_url) if webhook_url else None
    if block:
        from prefect.blocks.core import Block

        return Block.load(block)._block_document_id
    if saved is None:
        raise ValueError(_("no channel: set SAKIP_ALERT_WEBHOOK_URL or pass --block"))
    return saved


def _replace(automation):
    from prefect.automations import Automation

    try:
        Automation.read(name=automation.name).delete()
    except ValueError:  # none yet
        pass
    return automation.create()


def failure_automation(block_id: UUID):
    from prefect.automations import Automation
    from prefect.events.actions import SendNotification
    from prefect.events.schemas.automations import EventTrigger

    return Automation(
        name=FAILURE_AUTOMATION,
        description=_("Notifies when a run of a sakip deployment ends Failed, Crashed or TimedOut."),
        trigger=EventTrigger(expect=END_STATES, match={"prefect.resource.id": "prefect.flow-run.*"},
                             match_related=[SAKIP_FLOWS, OF_A_DEPLOYMENT], posture="Reactive", threshold=1),
        actions=[SendNotification(block_document_id=block_id, subject=_(SUBJECT), body=_(BODY))])


def zombie_automation(after_seconds: int):
    """Prefect's "detect zombie flows" automation, for sakip's flows: after a heartbeat, no heartbeat and no
    end state of the same run within `after_seconds` → Crashed."""
    from prefect.automations import Automation
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import EventTrigger

    return Automation(
        name=ZOMBIE_AUTOMATION,
        description=_("Marks a sakip flow run Crashed when it sent no heartbeat for {seconds} s (its process or "
                      "machine was lost); Crashed frees the deployment's slot and fires the failure automation."
                      ).format(seconds=after_seconds),
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Completed", "prefect.flow-run.Cancelled",
                    *END_STATES},
            match={"prefect.resource.id": "prefect.flow-run.*"}, match_related=SAKIP_FLOWS,
            for_each={"prefect.resource.id"}, posture="Proactive", threshold=1,
            within=dt.timedelta(seconds=after_seconds)),
        actions=[ChangeFlowRunState(state=StateType.CRASHED, message=_(
            "no heartbeat for {seconds} s: its process or machine was lost (marked by the automation "
            "'{automation}')").format(seconds=after_seconds, automation=ZOMBIE_AUTOMATION))])


def zombie_after() -> int:
    return settings.current().zombie_after_seconds


def setup_automations(webhook_url: str | None = None, block: str | None = None) -> dict[str, UUID]:
    """Create both automations (replacing earlier ones of the same names). Without a channel the zombie
    automation is still created: a lost run must free its slot even if nobody hears of it."""
    created = {ZOMBIE_AUTOMATION: _replace(zombie_automation(zombie_after())).id}
    if webhook_url or block:
        created[FAILURE_AUTOMATION] = _replace(failure_automation(notification_block_id(webhook_url, block))).id
    return created


def status() -> list[tuple[str, str, str]]:
    """(what, 'ok' | 'missing' | 'off' | 'absent', why) for the server's side of unattended runs: 'missing'
    and 'off' need someone; 'absent' is a channel not configured, which may be intended. `what` and `why` are
    for a person, in the language of this process; the codes are not (`STATES` says them)."""
    from prefect.automations import Automation
    from prefect.blocks.core import Block
    from prefect.client.orchestration import get_client

    found = []
    for name, why in ((ZOMBIE_AUTOMATION, _("a run whose worker or machine is lost stays Running and holds the "
                                            "deployment's slot; `deploy/sakip-local.sh start` creates it")),
                      (FAILURE_AUTOMATION, _("a run that fails or crashes alerts nobody; set SAKIP_ALERT_WEBHOOK_URL "
                                             "or SAKIP_ALERT_BLOCK and run `deploy/sakip-local.sh start` again"))):
        what = _("automation '{name}'").format(name=name)
        try:
            automation = Automation.read(name=name)
        except ValueError:
            found.append((what, "missing", why))
            continue
        if not automation.enabled:
            found.append((what, "off", _("disabled on the server: enable it in the UI")))
            continue
        if name == FAILURE_AUTOMATION:
            detail = ", ".join(sorted(e.rsplit(".", 1)[-1] for e in automation.trigger.expect))
            detail += " → " + ", ".join(_channel(a) for a in automation.actions)
        else:
            detail = _("within {seconds} s").format(seconds=int(automation.trigger.within.total_seconds()))
        found.append((what, "ok", detail))
    secret = _("block {name}").format(name=f"secret/{WEBHOOK_SECRET_NAME}")
    try:
        Block.load(f"secret/{WEBHOOK_SECRET_NAME}")
        found.append((secret, "ok", _("the webhook of the flows' own alerts")))
    except ValueError:
        found.append((secret, "absent", _("no webhook URL was given: the flows' own alerts (refused files) go to "
                                          "SAKIP_ALERT_BLOCKS only, if set")))
    with get_client(sync_client=True) as client:
        for name in ("sakip-monthly/monthly", "sakip-quarterly/quarterly"):
            what = _("deployment {name}").format(name=name)
            try:
                deployment = client.read_deployment_by_name(name)
            except Exception:
                found.append((what, "missing", _("run `deploy/sakip-local.sh start`")))
                continue
            env = (deployment.job_variables or {}).get("env") or {}
            beat = env.get("PREFECT_FLOWS_HEARTBEAT_FREQUENCY")
            if not deployment.schedules or all(not s.active for s in deployment.schedules):
                found.append((what, "off", _("its schedule is paused: no run will start")))
            elif not beat:
                found.append((what, "missing", _("its runs send no heartbeats: a lost run is never crashed; "
                                                 "redeploy prefect.yaml")))
            else:
                found.append((what, "ok", _("scheduled, heartbeat every {seconds} s").format(seconds=beat)))
    return found


def _channel(action) -> str:
    """Where a notification action sends: its block's type and name."""
    from prefect.client.orchestration import get_client

    block_id = getattr(action, "block_document_id", None)
    if block_id is None:
        return action.type
    try:
        with get_client(sync_client=True) as client:
            document = client.read_block_document(block_id)
        return f"{document.block_type.slug}/{document.name}"
    except Exception:
        return _("a block that no longer exists ({block_id}): run start again").format(block_id=block_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sakip.deploy")
    sub = parser.add_subparsers(dest="command", required=True)
    auto = sub.add_parser("automations", help=_("the failure and zombie automations"))
    auto.add_argument("--block", help=_("a saved notification block, block-type/block-name"))
    sub.add_parser("status", help=_("what exists on the server, what is missing, why"))
    args = parser.parse_args(argv)
    try:
        if args.command == "status":
            rows = status()
            for what, state, why in rows:
                print(f"{what}: {_(STATES[state])} ({why})")
            return 3 if any(state in ("missing", "off") for state in (row[1] for row in rows)) else 0
        created = setup_automations(settings.current().alert_webhook_url or None, args.block)
    except ValueError as exc:
        print(f"sakip: {exc}", file=sys.stderr)
        return 1
    for name, automation_id in created.items():
        print(_("automation '{name}' ready ({id})").format(name=name, id=automation_id))
    if FAILURE_AUTOMATION not in created:
        print(_("sakip: WARNING: no automation '{name}': a run that fails or crashes will alert nobody. Set "
                "SAKIP_ALERT_WEBHOOK_URL or SAKIP_ALERT_BLOCK and run start again.").format(name=FAILURE_AUTOMATION),
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
