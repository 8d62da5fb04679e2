#!/usr/bin/env python3
"""Plays the kubelet for secretctl's cluster tests, where no kubelet can run.

It marks every pod Running and Ready through the pods/status subresource (what a kubelet
reports once containers start), so `kubectl rollout status` completes for Deployments,
StatefulSets and DaemonSets. It also registers one Node, so DaemonSets have somewhere to
run. Pods in a namespace labelled `secretctl.test/kubelet=off` are left Pending: that is
how a test gets pods that never become Ready.

Bounded: it polls every 0.2 s and exits after --lifetime seconds, or on SIGTERM.
Standard library only; it reads the server and token from `kubectl config view`.
"""
import argparse
import base64
import datetime
import json
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

NODE = "secretctl-standin-node"
OFF_LABEL = "secretctl.test/kubelet"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--lifetime", type=float, default=3600)
    parser.add_argument("--interval", type=float, default=0.2)
    args = parser.parse_args()

    view = json.loads(subprocess.run(
        ["kubectl", "--kubeconfig", args.kubeconfig, "config", "view", "--raw", "--minify", "-o", "json"],
        check=True, capture_output=True, timeout=30).stdout)
    cluster = view["clusters"][0]["cluster"]
    token = view["users"][0]["user"]["token"]
    context = ssl.create_default_context()
    with tempfile.NamedTemporaryFile("wb", suffix=".crt") as ca:
        ca.write(base64.b64decode(cluster["certificate-authority-data"]))
        ca.flush()
        context.load_verify_locations(ca.name)
    api = Client(cluster["server"], token, context)

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    deadline = time.monotonic() + args.lifetime
    node_ready = False
    while not stopping and time.monotonic() < deadline:
        try:
            if not node_ready:
                node_ready = ensure_node(api)
            mark_pods_ready(api)
        except (urllib.error.URLError, OSError, ValueError) as error:
            print(f"kubelet-standin: {error}", file=sys.stderr, flush=True)
        time.sleep(args.interval)
    return 0


class Client:
    def __init__(self, server, token, context):
        self.server, self.token, self.context = server, token, context

    def request(self, method, path, body=None, content_type="application/json"):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Authorization", "Bearer " + self.token)
        if data is not None:
            request.add_header("Content-Type", content_type)
        with urllib.request.urlopen(request, context=self.context, timeout=5) as response:
            return json.loads(response.read() or b"{}")


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def ensure_node(api) -> bool:
    try:
        api.request("POST", "/api/v1/nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {"name": NODE}})
    except urllib.error.HTTPError as error:
        if error.code != 409:
            raise
    # The API server taints a new Node not-ready; a node lifecycle controller would lift it
    # once the kubelet reports Ready. DaemonSet pods do not tolerate it.
    api.request("PATCH", f"/api/v1/nodes/{NODE}", {"spec": {"taints": None}}, "application/merge-patch+json")
    stamp = now()
    api.request("PATCH", f"/api/v1/nodes/{NODE}/status", {"status": {
        "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady",
                        "lastHeartbeatTime": stamp, "lastTransitionTime": stamp}],
        "capacity": {"cpu": "64", "memory": "256Gi", "pods": "1000"},
        "allocatable": {"cpu": "64", "memory": "256Gi", "pods": "1000"},
    }}, "application/merge-patch+json")
    return True


def mark_pods_ready(api):
    off = {item["metadata"]["name"] for item in api.request("GET", "/api/v1/namespaces")["items"]
           if (item["metadata"].get("labels") or {}).get(OFF_LABEL) == "off"}
    for pod in api.request("GET", "/api/v1/pods")["items"]:
        meta, status = pod["metadata"], pod.get("status") or {}
        if meta["namespace"] in off or meta.get("deletionTimestamp"):
            continue
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
        if ready:
            continue
        stamp = now()
        conditions = [{"type": kind, "status": "True", "lastTransitionTime": stamp}
                      for kind in ("Initialized", "PodScheduled", "ContainersReady", "Ready")]
        containers = [{"name": c["name"], "image": c.get("image", ""), "imageID": "", "ready": True,
                       "restartCount": 0, "started": True, "state": {"running": {"startedAt": stamp}}}
                      for c in pod["spec"]["containers"]]
        try:
            api.request("PATCH", f"/api/v1/namespaces/{meta['namespace']}/pods/{meta['name']}/status",
                        {"status": {"phase": "Running", "conditions": conditions, "containerStatuses": containers,
                                    "startTime": stamp, "hostIP": "127.0.0.1", "podIP": "127.0.0.1"}},
                        "application/merge-patch+json")
        except urllib.error.HTTPError as error:
            if error.code not in (404, 409):
                raise


if __name__ == "__main__":
    sys.exit(main())
