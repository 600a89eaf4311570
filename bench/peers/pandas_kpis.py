# Peer: the basic KPIs with pandas, one export file at a time (as an analyst
# would with monthly files), per department and month of receipt: complaints,
# registered within 24 hours, resolved, satisfaction mean and share >= 85.
#   python3 bench/peers/pandas_kpis.py <export.csv>...
# Prints one JSON line: {"rows": ..., "groups": ...}.
import json
import sys

import pandas as pd

parts = []
rows = 0
for path in sys.argv[1:]:
    df = pd.read_csv(path, usecols=["department", "received_at", "registered_at", "resolved_at", "satisfaction"],
                     parse_dates=["received_at", "registered_at"], dtype={"department": "string"})
    rows += len(df)
    df["month"] = df["received_at"].dt.to_period("M")
    df["registered_24h"] = (df["registered_at"] - df["received_at"]) <= pd.Timedelta(hours=24)
    df["resolved"] = df["resolved_at"].notna()
    df["satisfied"] = (df["satisfaction"] >= 85).astype("float64").where(df["satisfaction"].notna())
    parts.append(df.groupby(["month", "department"]).agg(
        complaints=("received_at", "size"), registered_24h=("registered_24h", "sum"), resolved=("resolved", "sum"),
        satisfaction_sum=("satisfaction", "sum"), surveyed=("satisfaction", "count"), satisfied=("satisfied", "sum")))
kpis = pd.concat(parts).groupby(level=[0, 1]).sum(numeric_only=True)
kpis["satisfaction_mean"] = kpis["satisfaction_sum"] / kpis["surveyed"]
print(json.dumps({"rows": int(rows), "groups": int(len(kpis))}))
