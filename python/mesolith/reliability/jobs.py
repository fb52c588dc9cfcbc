"""The resumable descriptions of the kMC and BD stages (see :mod:`.resume`)."""

from __future__ import annotations

from mesolith.reliability.resume import ResumableJob

__all__ = ["KMC_CHUNKS", "bd_job", "kmc_job"]

#: The kMC anode run is cut into this many equal spans of simulated time.
KMC_CHUNKS = 100


def kmc_job(config, seed: int) -> ResumableJob:
    """Run the anode model to ``config.duration`` in :data:`KMC_CHUNKS` spans.

    The span ends are absolute times ``duration * k / KMC_CHUNKS``; the model's clock
    stops exactly at each end, and the number of spans done is read back from the clock,
    so a restarted run takes the same spans as an uninterrupted one.
    """
    from mesolith.kmc.simulation import Simulation

    duration = float(config.duration)

    def stop_time(k: int) -> float:
        return duration if k >= KMC_CHUNKS else duration * k / KMC_CHUNKS

    def done(sim) -> int:
        return min(KMC_CHUNKS, int(round(sim.time / duration * KMC_CHUNKS)))

    def advance(sim) -> bool:
        k = done(sim) + 1
        target = stop_time(k)
        if target > sim.time:
            sim.run(time=target - sim.time)
        return k >= KMC_CHUNKS

    return ResumableJob(
        engine="kmc", start=lambda: Simulation(config, seed=seed), restart=Simulation.restart,
        advance=advance, checkpoint=lambda sim, p: sim.checkpoint(p), chunks=KMC_CHUNKS,
        done_chunks=done)


def bd_job(config, seed: int, steps: int) -> ResumableJob:
    """Run Brownian dynamics for ``steps`` steps in chunks of ``config.save_every`` steps."""
    from mesolith.bd.simulation import Simulation

    every = max(1, int(config.save_every))

    def advance(sim) -> bool:
        left = steps - sim.step
        if left > 0:
            sim.run(min(every - sim.step % every, left), progress=False)
        return sim.step >= steps

    return ResumableJob(
        engine="bd", start=lambda: Simulation(config, seed=seed), restart=Simulation.restart,
        advance=advance, checkpoint=lambda sim, p: sim.checkpoint(p),
        chunks=max(1, -(-steps // every)), done_chunks=lambda sim: -(-sim.step // every))
