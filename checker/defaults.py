"""The defaults a user can change, in one place: pairing, NLI cuts, updates, clusters, stories.

Why built so: each stage keeps its own mechanics, but the numbers a desk tunes with an option
(`--top-k`, `--min-sim`, `--update-window`, `stories --threshold`, ...) and the cuts a
decision record argues for are read from here, so the CLI, the Python API and the docs
cannot drift apart. The fitted verdict's thresholds are not here: they are learnt and live
beside the model (``verdict_calibration.json``, decision 0006).
"""

#: neighbours per statement in other articles, and the cosine floor of a pair (decision 0003)
TOP_K = 5
MIN_SIM = 0.4
#: two outlets' values of one evolving fact (a count of the injured; a road blocked / reopened)
#: are compared down to this cosine, the most similar in each article (decision 0007)
FACT_MIN_SIM = 0.2
#: the NLI rule's cuts when no calibrated verdict is loaded (decision 0002)
CONTRADICTION_THRESHOLD = 0.5
ENTAILMENT_THRESHOLD = 0.5
#: two reports less than this many hours apart are simultaneous: a changed figure is a
#: conflict, not an update (decision 0007)
UPDATE_WINDOW_HOURS = 1.0
#: fact clusters: similarity for statements to join one fact (checker.clusters)
CLUSTER_MIN_SIMILARITY = 0.55
CLUSTER_NEUTRAL_SIMILARITY = 0.8
CLUSTER_MIN_DENSITY = 0.5
#: stories: average-linkage distance under which articles merge, and the publication window
#: beyond which they never do (decision 0011)
STORY_DISTANCE = 0.5
STORY_WINDOW_HOURS = 72.0
