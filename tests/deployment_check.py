"""Run by tests/test_deployment.py against the server that deploy/sakip-local.sh started (PREFECT_API_URL):
triggers the monthly deployment as if scheduled on 6 July 2025 06:00 WIB, reads the schedule's next runs, then
triggers a monthly run and a quarterly run that fail. Prints one JSON object."""
import asyncio
import datetime as dt
import json
import sys
import time
from zoneinfo import ZoneInfo

from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment

JAKARTA = ZoneInfo("Asia/Jakarta")


async def scheduled_runs(name: str) -> list[str]:
    async with get_client() as client:
        deployment = await client.read_deployment_by_name(name)
        runs = await client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(state=FlowRunFilterState(
                type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))))
        return sorted(r.expected_start_time.astimezone(JAKARTA).isoformat() for r in runs
                      if r.expected_start_time > dt.datetime.now(dt.UTC))


async def latest_artifact(key: str):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort
    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                                            sort=ArtifactSort.CREATED_DESC, limit=1)
        return found[0].data if found else None


def main(corrupt_warehouse: str, bad_inbox: str) -> None:
    june = run_deployment("sakip-monthly/monthly", scheduled_time=dt.datetime(2025, 7, 6, 6, 0, tzinfo=JAKARTA),
                          timeout=300)
    deadline, upcoming = time.monotonic() + 120, []
    while time.monotonic() < deadline and not upcoming:  # the scheduler service fills them in within a minute
        upcoming = asyncio.run(scheduled_runs("sakip-monthly/monthly"))
        time.sleep(2)
    summary = asyncio.run(latest_artifact("sakip-summary"))
    refusing = run_deployment("sakip-monthly/monthly", parameters={"inbox": bad_inbox, "period": "2025-06"},
                              timeout=300)
    refused_rows = asyncio.run(latest_artifact("sakip-refused-rows"))
    failing = run_deployment("sakip-monthly/monthly", parameters={"warehouse": corrupt_warehouse}, timeout=300)
    # the quarterly run fails in its monthly subflow: both runs fail, one alert (for the deployment's run)
    quarterly = run_deployment("sakip-quarterly/quarterly", parameters={"warehouse": corrupt_warehouse,
                                                                        "period": "2025-06"}, timeout=300)
    print(json.dumps({"june_state": june.state.type.value, "june_name": june.name, "upcoming": upcoming,
                      "summary": summary,
                      "refusing_state": refusing.state.type.value, "refused_rows": refused_rows,
                      "failing_state": failing.state.type.value, "quarterly_state": quarterly.state.type.value}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
