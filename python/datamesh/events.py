"""DataMeshEvents: the subscription events of the tracker's stream, read as a producer, a consumer
or the mesh administrator."""
import copy
import time

from ._persona import Persona, arguments, logger
from .errors import DataMeshError, InvalidArgumentError, ThrottlingError, TransientError


class DataMeshEvents(Persona):
    """Every change to a subscription is an event (requested, approved, denied, modified, imported,
    deleted, expired, grants_revoked), in the order it happened. `audience` says whose: "producer"
    (subscriptions to the account's products), "consumer" (its own subscriptions) or "mesh" (all;
    the mesh account's credentials).

    A checkpoint (a dict; keep it as JSON) says how far a reader has got. Save the one `follow`
    gives with each event once the event is handled, and a reader started again from it loses
    nothing (an event may come twice, never not at all)."""

    _persona = "events"

    def __init__(self, data_mesh_account_id, region_name="us-east-1", log_level="INFO", use_credentials=None, *,
                 audience="producer", endpoint_url=None, local_mesh=None, max_concurrency=8):
        if audience not in ("producer", "consumer", "mesh"):
            raise InvalidArgumentError("InvalidArgument", f"audience must be producer, consumer or mesh, got {audience!r}")
        self._audience = audience
        super().__init__(data_mesh_account_id, region_name, log_level, use_credentials, endpoint_url=endpoint_url,
                         local_mesh=local_mesh, max_concurrency=max_concurrency)

    def _more_options(self):
        return {"audience": self._audience}

    def read(self, checkpoint=None, since=None, types=None):
        """The events after `checkpoint` (from the oldest the stream keeps when None), at or after
        `since` ("2026-12-02 06:00:00", ISO 8601, or "30m", "2h", "1d" ago), of `types` (all when
        None): {"Events": [...], "Checkpoint": {...}}, the checkpoint past everything read."""
        return self._call("read", **arguments(locals()))

    def follow(self, checkpoint=None, since=None, types=None, poll_seconds=2.0):
        """Yields (event, checkpoint) for each event as it happens, forever (break out of the loop to
        stop); the checkpoint is the one to save once the event is handled. Throttling and transient
        failures (a 5xx, a dropped connection) are waited out, 1 s doubling to a minute, each logged
        as a warning; any other failure is raised."""
        at = copy.deepcopy(checkpoint) if checkpoint else None
        tries = 0
        first = True
        while True:
            try:
                # `since` (perhaps "30m": back from now) places the first read; after it the
                # checkpoint does, or events older than a moving window would be passed over.
                batch = self.read(checkpoint=at, since=since if first else None, types=types)
            except DataMeshError as e:
                if not (isinstance(e, (ThrottlingError, TransientError)) or (e.http_status or 0) >= 500):
                    raise
                wait = min(60.0, 2.0 ** min(tries, 6))
                tries += 1
                logger.warning("reading events failed (%s); trying again in %g s", e, wait)
                time.sleep(wait)
                continue
            tries, first = 0, False
            reached = batch["Checkpoint"]
            if not at or at.get("StreamArn") != reached["StreamArn"]:
                at = {"StreamArn": reached["StreamArn"], "Shards": {}}
            found = batch["Events"]
            for i, event in enumerate(found):
                # The checkpoint passes a record once every event it carries is handled.
                following = found[i + 1] if i + 1 < len(found) else None
                if not following or (following["Shard"], following["SequenceNumber"]) != (event["Shard"],
                                                                                         event["SequenceNumber"]):
                    at["Shards"][event["Shard"]] = event["SequenceNumber"]
                yield event, copy.deepcopy(at)
            at = reached
            if not batch["Events"]:
                time.sleep(poll_seconds)
