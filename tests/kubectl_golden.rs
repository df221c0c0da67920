//! Golden kubectl output: every command the emulator knows, run against a fixed cluster (seed
//! 1, start 2024-01-01T00:00:00Z, instant kubelets), compared with the exact text kubectl
//! prints. A failing command must also leave the cluster as it was (drain excepted: kubectl
//! cordons before it refuses).

mod common;

use common::*;
use kubarium::sim::Sim;

/// Runs `line` and compares stdout, stderr and exit code exactly.
#[track_caller]
fn golden(sim: &mut Sim, line: &str, stdin: Option<&str>, stdout: &str, stderr: &str, code: i32) {
    let before = fingerprint(sim);
    let out = kubarium::kubectl::run(sim, line, stdin);
    assert_output(&out, stdout, stderr, code);
    if code != 0 && !line.starts_with("drain") {
        assert_eq!(
            fingerprint(sim),
            before,
            "`kubectl {line}` failed but changed the cluster"
        );
    }
}

/// `get` prints kubectl's columns for pods, nodes, DaemonSets, revisions and namespaces.
#[test]
fn get_tables_match_kubectl_columns() {
    let mut sim = cluster_with_fluentd();
    golden(
        &mut sim,
        "get pods -n kube-system",
        None,
        r#"NAME                          READY   STATUS    RESTARTS   AGE
fluentd-elasticsearch-9zlrz   1/1     Running   0          90s
fluentd-elasticsearch-p5mzm   1/1     Running   0          90s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get po -n kube-system -o wide",
        None,
        r#"NAME                          READY   STATUS    RESTARTS   AGE   IP       NODE       NOMINATED NODE   READINESS GATES
fluentd-elasticsearch-9zlrz   1/1     Running   0          90s   <none>   worker-1   <none>           <none>
fluentd-elasticsearch-p5mzm   1/1     Running   0          90s   <none>   worker-2   <none>           <none>
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get pods -A -l name=fluentd-elasticsearch",
        None,
        r#"NAMESPACE     NAME                          READY   STATUS    RESTARTS   AGE
kube-system   fluentd-elasticsearch-9zlrz   1/1     Running   0          90s
kube-system   fluentd-elasticsearch-p5mzm   1/1     Running   0          90s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get pods -A -l 'name in (other,another)'",
        None,
        r#""#,
        r#"No resources found
"#,
        0,
    );
    golden(
        &mut sim,
        "get pods -l '!name'",
        None,
        r#""#,
        r#"No resources found in default namespace.
"#,
        0,
    );
    golden(
        &mut sim,
        "get nodes",
        None,
        r#"NAME            STATUS   ROLES           AGE   VERSION
control-plane   Ready    control-plane   90s   v1.34.0
worker-1        Ready    <none>          90s   v1.34.0
worker-2        Ready    <none>          90s   v1.34.0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get no --show-labels",
        None,
        r#"NAME            STATUS   ROLES           AGE   VERSION   LABELS
control-plane   Ready    control-plane   90s   v1.34.0   kubernetes.io/hostname=control-plane,node-role.kubernetes.io/control-plane=
worker-1        Ready    <none>          90s   v1.34.0   kubernetes.io/hostname=worker-1
worker-2        Ready    <none>          90s   v1.34.0   kubernetes.io/hostname=worker-2
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get nodes -l node-role.kubernetes.io/control-plane",
        None,
        r#"NAME            STATUS   ROLES           AGE   VERSION
control-plane   Ready    control-plane   90s   v1.34.0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get nodes -l 'node-role.kubernetes.io/control-plane,kubernetes.io/hostname!=x'",
        None,
        r#"NAME            STATUS   ROLES           AGE   VERSION
control-plane   Ready    control-plane   90s   v1.34.0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ds -n kube-system -o wide",
        None,
        r#"NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS              IMAGES                                  SELECTOR
fluentd-elasticsearch   2         2         2       2            2           <none>          90s   fluentd-elasticsearch   k8s.gcr.io/fluentd-elasticsearch:1.20   name=fluentd-elasticsearch
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get daemonsets.apps -A -o name",
        None,
        r#"daemonset.apps/fluentd-elasticsearch
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get nodes worker-1 -o name",
        None,
        r#"node/worker-1
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get all -n kube-system",
        None,
        r#"NAME                              READY   STATUS    RESTARTS   AGE
pod/fluentd-elasticsearch-9zlrz   1/1     Running   0          90s
pod/fluentd-elasticsearch-p5mzm   1/1     Running   0          90s

NAME                                   DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
daemonset.apps/fluentd-elasticsearch   2         2         2       2            2           <none>          90s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get controllerrevisions -n kube-system",
        None,
        r#"NAME                               CONTROLLER                             REVISION   AGE
fluentd-elasticsearch-77988f4887   daemonset.apps/fluentd-elasticsearch   1          90s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ns",
        None,
        r#"NAME          STATUS   AGE
default       Active   90s
kube-system   Active   90s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get events -n kube-system",
        None,
        r#"LAST SEEN   TYPE     REASON             OBJECT                            MESSAGE
90s         Normal   SuccessfulCreate   daemonset/fluentd-elasticsearch   Created pod: fluentd-elasticsearch-9zlrz
90s         Normal   SuccessfulCreate   daemonset/fluentd-elasticsearch   Created pod: fluentd-elasticsearch-p5mzm
90s         Normal   Scheduled          pod/fluentd-elasticsearch-9zlrz   Successfully assigned kube-system/fluentd-elasticsearch-9zlrz to worker-1
90s         Normal   Scheduled          pod/fluentd-elasticsearch-p5mzm   Successfully assigned kube-system/fluentd-elasticsearch-p5mzm to worker-2
90s         Normal   Pulling            pod/fluentd-elasticsearch-9zlrz   Pulling image "k8s.gcr.io/fluentd-elasticsearch:1.20"
90s         Normal   Pulling            pod/fluentd-elasticsearch-p5mzm   Pulling image "k8s.gcr.io/fluentd-elasticsearch:1.20"
90s         Normal   Pulled             pod/fluentd-elasticsearch-9zlrz   Successfully pulled image "k8s.gcr.io/fluentd-elasticsearch:1.20" in 0ms (0ms including waiting)
90s         Normal   Pulled             pod/fluentd-elasticsearch-p5mzm   Successfully pulled image "k8s.gcr.io/fluentd-elasticsearch:1.20" in 0ms (0ms including waiting)
90s         Normal   Created            pod/fluentd-elasticsearch-9zlrz   Created container fluentd-elasticsearch
90s         Normal   Started            pod/fluentd-elasticsearch-9zlrz   Started container fluentd-elasticsearch
90s         Normal   Created            pod/fluentd-elasticsearch-p5mzm   Created container fluentd-elasticsearch
90s         Normal   Started            pod/fluentd-elasticsearch-p5mzm   Started container fluentd-elasticsearch
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get pod nope",
        None,
        r#""#,
        r#"Error from server (NotFound): pods "nope" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "get ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE
fluentd-elasticsearch   2         2         2       2            2           <none>          90s
"#,
        r#""#,
        0,
    );
}

/// `-o yaml` and `-o json` print the stored object, status included.
#[test]
fn get_structured_output() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels:\n    team: a\n",
        ),
        r#"namespace/team-a created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ns team-a -o yaml",
        None,
        r#"apiVersion: v1
kind: Namespace
metadata:
  creationTimestamp: "2024-01-01T00:00:00Z"
  generation: 1
  labels:
    team: a
  name: team-a
  resourceVersion: "6"
  uid: 86b80697-1df0-46bc-8b65-14badb562d7b
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ns team-a -o json",
        None,
        r#"{
    "apiVersion": "v1",
    "kind": "Namespace",
    "metadata": {
        "creationTimestamp": "2024-01-01T00:00:00Z",
        "generation": 1,
        "labels": {
            "team": "a"
        },
        "name": "team-a",
        "resourceVersion": "6",
        "uid": "86b80697-1df0-46bc-8b65-14badb562d7b"
    }
}
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ns -l team=a -o json",
        None,
        r#"{
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "creationTimestamp": "2024-01-01T00:00:00Z",
                "generation": 1,
                "labels": {
                    "team": "a"
                },
                "name": "team-a",
                "resourceVersion": "6",
                "uid": "86b80697-1df0-46bc-8b65-14badb562d7b"
            }
        }
    ],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ns -o foo",
        None,
        r#""#,
        r#"error: unable to match a printer suitable for the output format "foo", allowed formats are: json,name,wide,yaml
"#,
        1,
    );
}

/// `describe` prints the main fields and the Events section.
#[test]
fn describe_shows_fields_and_events() {
    let mut sim = cluster_with_fluentd();
    golden(
        &mut sim,
        "describe ds -n kube-system",
        None,
        r#"Name:                                            fluentd-elasticsearch
Namespace:                                       kube-system
Selector:                                        name=fluentd-elasticsearch
Node-Selector:                                   <none>
Labels:                                          k8s-app=fluentd-logging
Annotations:                                     <none>
Desired Number of Nodes Scheduled:               2
Current Number of Nodes Scheduled:               2
Number of Nodes Scheduled with Up-to-date Pods:  2
Number of Nodes Scheduled with Available Pods:   2
Number of Nodes Misscheduled:                    0
Pods Status:                                     2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  name=fluentd-elasticsearch
  Containers:
   fluentd-elasticsearch:
    Image:  k8s.gcr.io/fluentd-elasticsearch:1.20
Events:
  Type    Reason            Age   From                  Message
  ----    ------            ----  ----                  -------
  Normal  SuccessfulCreate  90s   daemonset-controller  Created pod: fluentd-elasticsearch-9zlrz
  Normal  SuccessfulCreate  90s   daemonset-controller  Created pod: fluentd-elasticsearch-p5mzm
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe node worker-1",
        None,
        r#"Name:               worker-1
Roles:              <none>
Labels:             kubernetes.io/hostname=worker-1
Annotations:        <none>
CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
Taints:             <none>
Unschedulable:      false
Conditions:
  Type                Status  Reason                      Message
  ----                ------  ------                      -------
  Ready               True    KubeletReady                kubelet is posting ready status
  MemoryPressure      False   KubeletHasSufficientMemory  kubelet has sufficient memory available
  DiskPressure        False   KubeletHasNoDiskPressure    kubelet has no disk pressure
  PIDPressure         False   KubeletHasSufficientPID     kubelet has sufficient PID available
  NetworkUnavailable  False   RouteCreated                RouteController created a route
Capacity:
  cpu:    4
  memory: 16Gi
  pods:   110
Allocatable:
  cpu:    4
  memory: 16Gi
  pods:   110
System Info:
  Kubelet Version:  v1.34.0
Non-terminated Pods:  (1 in total)
  Namespace    Name                         Age
  ---------    ----                         ---
  kube-system  fluentd-elasticsearch-9zlrz  90s
Events:  <none>
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe node control-plane",
        None,
        r#"Name:               control-plane
Roles:              control-plane
Labels:             kubernetes.io/hostname=control-plane
                    node-role.kubernetes.io/control-plane=
Annotations:        <none>
CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
Taints:             node-role.kubernetes.io/control-plane:NoSchedule
Unschedulable:      false
Conditions:
  Type                Status  Reason                      Message
  ----                ------  ------                      -------
  Ready               True    KubeletReady                kubelet is posting ready status
  MemoryPressure      False   KubeletHasSufficientMemory  kubelet has sufficient memory available
  DiskPressure        False   KubeletHasNoDiskPressure    kubelet has no disk pressure
  PIDPressure         False   KubeletHasSufficientPID     kubelet has sufficient PID available
  NetworkUnavailable  False   RouteCreated                RouteController created a route
Capacity:
  cpu:    4
  memory: 16Gi
  pods:   110
Allocatable:
  cpu:    4
  memory: 16Gi
  pods:   110
System Info:
  Kubelet Version:  v1.34.0
Non-terminated Pods:  (0 in total)
Events:  <none>
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe pod nope",
        None,
        r#""#,
        r#"Error from server (NotFound): pods "nope" not found
"#,
        1,
    );
}

/// apply creates, reports unchanged and configured; create refuses an existing object.
#[test]
fn apply_create_and_update_like_a_real_cluster() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/daemonset.yaml")),
        r#"daemonset.apps/fluentd-elasticsearch created
"#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
"#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/daemonset.yaml")),
        r#"daemonset.apps/fluentd-elasticsearch unchanged
"#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
"#,
        0,
    );
    golden(
        &mut sim,
        "create -f -",
        Some(&shared("kubernetes-website/daemonset.yaml")),
        r#""#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
Error from server (AlreadyExists): error when creating "STDIN": daemonsets.apps "fluentd-elasticsearch" already exists
"#,
        1,
    );
    advance_secs(&mut sim, 30);
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/fluentd-daemonset-update.yaml")),
        r#"daemonset.apps/fluentd-elasticsearch configured
"#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
"#,
        0,
    );
    golden(
        &mut sim,
        "get ds -n kube-system -o wide",
        None,
        r#"NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS              IMAGES                                         SELECTOR
fluentd-elasticsearch   2         2         2       2            2           <none>          30s   fluentd-elasticsearch   quay.io/fluentd_elasticsearch/fluentd:v2.5.2   name=fluentd-elasticsearch
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 1);
    golden(
        &mut sim,
        "get pods -n kube-system",
        None,
        r#"NAME                          READY   STATUS    RESTARTS   AGE
fluentd-elasticsearch-q6m6z   1/1     Running   0          1s
fluentd-elasticsearch-zw499   1/1     Running   0          1s
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 60);
    golden(
        &mut sim,
        "get ds -n kube-system -o wide",
        None,
        r#"NAME                    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR   AGE   CONTAINERS              IMAGES                                         SELECTOR
fluentd-elasticsearch   2         2         2       2            2           <none>          91s   fluentd-elasticsearch   quay.io/fluentd_elasticsearch/fluentd:v2.5.2   name=fluentd-elasticsearch
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout history daemonset fluentd-elasticsearch -n kube-system",
        None,
        r#"daemonset.apps/fluentd-elasticsearch 
REVISION  CHANGE-CAUSE
1         <none>
2         <none>

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout status ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"daemon set "fluentd-elasticsearch" successfully rolled out
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create namespace team-a",
        None,
        r#"namespace/team-a created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create ns team-a",
        None,
        r#""#,
        r#"Error from server (AlreadyExists): namespaces "team-a" already exists
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f - -n team-a",
        Some(&shared("kubernetes-website/daemonset.yaml")),
        r#""#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
error: the namespace from the provided object "kube-system" does not match the namespace "team-a". You must pass '--namespace=kube-system' to perform this operation.
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/cronjob-batch-v1beta1.yaml")),
        r#""#,
        r#"error: resource mapping not found for name: "hello" namespace: "" from "STDIN": no matches for kind "CronJob" in version "batch/v1beta1"
ensure CRDs are installed first
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  selector:\n    matchLabels:\n      app: fluentd\n  template:\n    metadata:\n      labels:\n        app: x\n    spec:\n      containers:\n      - name: fluentd\n        image: fluentd:v1\n",
        ),
        r#""#,
        r#"The DaemonSet "fluentd" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  template:\n    spec:\n      containers:\n      - image: fluentd:v1\n",
        ),
        r#""#,
        r#"Error from server (BadRequest): error when creating "STDIN": DaemonSet in version "v1" cannot be handled as a DaemonSet: spec.template.spec.containers[0]: missing field `name`
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  template:\n    spec:\n      containers:\n      - name: fluentd\n        image: fluentd:v1\n",
        ),
        r#""#,
        r#"The DaemonSet "fluentd" is invalid: spec.selector: Required value
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  minReadySeconds: soon\n",
        ),
        r#""#,
        r#"Error from server (BadRequest): error when creating "STDIN": DaemonSet in version "v1" cannot be handled as a DaemonSet: spec.minReadySeconds: invalid type: string "soon", expected i32
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: fluentd\nspec:\n  selector: [\n",
        ),
        r#""#,
        r#"error: error parsing STDIN: line 6 column 13: unclosed bracket '['
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some("apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n"),
        r#""#,
        r#"error: resource mapping not found for name: "w" namespace: "" from "STDIN": no matches for kind "Widget" in version "example.com/v1"
ensure CRDs are installed first
"#,
        1,
    );
    golden(
        &mut sim,
        "create job pi --image=perl -- perl -e 1",
        None,
        r#"job.batch/pi created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create cronjob hello --image=busybox --schedule='* * * * *' -- date",
        None,
        r#"cronjob.batch/hello created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create deployment web --image=nginx --replicas=3",
        None,
        r#"deployment.apps/web created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "scale ds fluentd-elasticsearch -n kube-system --replicas=2",
        None,
        r#""#,
        r#"Error from server (NotFound): the server could not find the requested resource
"#,
        1,
    );
    golden(
        &mut sim,
        "apply -f foo.yaml",
        None,
        r#""#,
        r#"error: the path "foo.yaml" does not exist
"#,
        1,
    );
}

/// label, annotate, taint, cordon and uncordon change nodes and objects with kubectl's words.
#[test]
fn labels_annotations_taints_and_cordon() {
    let mut sim = cluster_with_fluentd();
    golden(
        &mut sim,
        "label node worker-1 disk=ssd",
        None,
        r#"node/worker-1 labeled
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "label node worker-1 disk=hdd",
        None,
        r#""#,
        r#"error: 'disk' already has a value (ssd), and --overwrite is false
"#,
        1,
    );
    golden(
        &mut sim,
        "label node worker-1 disk=hdd --overwrite",
        None,
        r#"node/worker-1 labeled
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get nodes -l disk=hdd",
        None,
        r#"NAME       STATUS   ROLES    AGE   VERSION
worker-1   Ready    <none>   90s   v1.34.0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "label node worker-1 disk-",
        None,
        r#"node/worker-1 unlabeled
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "annotate ds fluentd-elasticsearch -n kube-system owner=team-a",
        None,
        r#"daemonset.apps/fluentd-elasticsearch annotated
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get ds fluentd-elasticsearch -n kube-system -o jsonpath",
        None,
        r#""#,
        r#"error: unable to match a printer suitable for the output format "jsonpath", allowed formats are: json,name,wide,yaml
"#,
        1,
    );
    golden(
        &mut sim,
        "taint nodes worker-2 dedicated=gpu:NoSchedule",
        None,
        r#"node/worker-2 tainted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "taint nodes worker-2 dedicated=gpu:NoSchedule",
        None,
        r#""#,
        r#"error: node worker-2 already has dedicated taint(s) with same effect(s) and --overwrite is false
"#,
        1,
    );
    golden(
        &mut sim,
        "taint nodes worker-2 dedicated:NoSchedule-",
        None,
        r#"node/worker-2 untainted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "taint nodes worker-2 dedicated-",
        None,
        r#""#,
        r#"error: taint "dedicated" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "taint nodes worker-2 dedicated=gpu:Sometimes",
        None,
        r#""#,
        r#"error: invalid taint effect: Sometimes, unsupported taint effect
"#,
        1,
    );
    golden(
        &mut sim,
        "cordon worker-1",
        None,
        r#"node/worker-1 cordoned
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "cordon worker-1",
        None,
        r#"node/worker-1 already cordoned
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get nodes",
        None,
        r#"NAME            STATUS                     ROLES           AGE   VERSION
control-plane   Ready                      control-plane   90s   v1.34.0
worker-1        Ready,SchedulingDisabled   <none>          90s   v1.34.0
worker-2        Ready                      <none>          90s   v1.34.0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "uncordon worker-1",
        None,
        r#"node/worker-1 uncordoned
"#,
        r#""#,
        0,
    );
}

/// drain cordons, then refuses DaemonSet pods without --ignore-daemonsets, as kubectl does.
#[test]
fn drain_refuses_daemonset_pods_without_the_flag() {
    let mut sim = cluster_with_fluentd();
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lonely\nspec:\n  nodeSelector:\n    kubernetes.io/hostname: worker-1\n  containers:\n  - name: main\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo hello from lonely; sleep 3600\"]\n",
        ),
        r#"pod/lonely created
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 5);
    golden(
        &mut sim,
        "drain worker-1",
        None,
        r#"node/worker-1 cordoned
"#,
        r#"error: unable to drain node "worker-1" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/fluentd-elasticsearch-9zlrz, cannot delete Pods declare no controller (use --force to override): default/lonely, continuing command...
There are pending nodes to be drained:
 worker-1
cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/fluentd-elasticsearch-9zlrz
cannot delete Pods declare no controller (use --force to override): default/lonely
"#,
        1,
    );
    golden(
        &mut sim,
        "drain worker-1 --ignore-daemonsets",
        None,
        r#"node/worker-1 already cordoned
"#,
        r#"error: unable to drain node "worker-1" due to error: cannot delete Pods declare no controller (use --force to override): default/lonely, continuing command...
There are pending nodes to be drained:
 worker-1
cannot delete Pods declare no controller (use --force to override): default/lonely
"#,
        1,
    );
    golden(
        &mut sim,
        "drain worker-1 --ignore-daemonsets --force",
        None,
        r#"node/worker-1 already cordoned
evicting pod default/lonely
pod/lonely evicted
node/worker-1 drained
"#,
        r#"Warning: ignoring DaemonSet-managed Pods: kube-system/fluentd-elasticsearch-9zlrz
"#,
        0,
    );
    golden(
        &mut sim,
        "get pods -o wide",
        None,
        r#"NAME     READY   STATUS        RESTARTS   AGE   IP       NODE       NOMINATED NODE   READINESS GATES
lonely   1/1     Terminating   0          5s    <none>   worker-1   <none>           <none>
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 30);
    golden(
        &mut sim,
        "get pods",
        None,
        r#""#,
        r#"No resources found in default namespace.
"#,
        0,
    );
    golden(
        &mut sim,
        "uncordon worker-1",
        None,
        r#"node/worker-1 uncordoned
"#,
        r#""#,
        0,
    );
}

/// patch, rollout restart/undo and delete with each cascade mode.
#[test]
fn patch_rollout_and_delete() {
    let mut sim = cluster_with_fluentd();
    golden(
        &mut sim,
        "patch ds fluentd-elasticsearch -n kube-system -p '{\"spec\":{\"minReadySeconds\":5}}'",
        None,
        r#"daemonset.apps/fluentd-elasticsearch patched
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "patch ds fluentd-elasticsearch -n kube-system -p '{\"spec\":{\"minReadySeconds\":5}}'",
        None,
        r#"daemonset.apps/fluentd-elasticsearch patched (no change)
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "patch ds fluentd-elasticsearch -n kube-system --type json -p '[]'",
        None,
        r#""#,
        r#"error: --type must be one of [json merge strategic], and only merge and strategic are simulated, not "json"
"#,
        1,
    );
    golden(
        &mut sim,
        "patch ds fluentd-elasticsearch -n kube-system -p '{\"spec\":{\"selector\":{\"matchLabels\":{\"name\":\"x\"}}}}'",
        None,
        r#""#,
        r#"The DaemonSet "fluentd-elasticsearch" is invalid: [spec.selector: Invalid value: &v1.LabelSelector{MatchLabels:map[string]string{"name":"x"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable, spec.template.metadata.labels: Invalid value: map[string]string{"name":"fluentd-elasticsearch"}: `selector` does not match template `labels`]
"#,
        1,
    );
    golden(
        &mut sim,
        "rollout restart ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"daemonset.apps/fluentd-elasticsearch restarted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout status ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"Waiting for daemon set spec update to be observed...
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 60);
    golden(
        &mut sim,
        "rollout status ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"daemon set "fluentd-elasticsearch" successfully rolled out
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout history ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"daemonset.apps/fluentd-elasticsearch 
REVISION  CHANGE-CAUSE
1         <none>
2         <none>

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout undo ds/fluentd-elasticsearch -n kube-system",
        None,
        r#"daemonset.apps/fluentd-elasticsearch rolled back
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout undo ds/fluentd-elasticsearch -n kube-system --to-revision=9",
        None,
        r#""#,
        r#"error: unable to find specified revision in history
"#,
        1,
    );
    golden(
        &mut sim,
        "delete ds fluentd-elasticsearch -n kube-system --cascade=orphan",
        None,
        r#"daemonset.apps "fluentd-elasticsearch" deleted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get pods -n kube-system",
        None,
        r#"NAME                          READY   STATUS    RESTARTS   AGE
fluentd-elasticsearch-q6m6z   1/1     Running   0          60s
fluentd-elasticsearch-zw499   1/1     Running   0          50s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "delete pods -n kube-system -l name=fluentd-elasticsearch",
        None,
        r#"pod "fluentd-elasticsearch-q6m6z" deleted
pod "fluentd-elasticsearch-zw499" deleted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "delete pods -n kube-system --all",
        None,
        r#"pod "fluentd-elasticsearch-q6m6z" deleted
pod "fluentd-elasticsearch-zw499" deleted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "delete pod nope",
        None,
        r#""#,
        r#"Error from server (NotFound): pods "nope" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "delete ds",
        None,
        r#""#,
        r#"error: resource(s) were provided, but no name was specified
"#,
        1,
    );
    golden(
        &mut sim,
        "delete pods --cascade=sometimes --all",
        None,
        r#""#,
        r#"error: invalid cascade value (sometimes). Must be "background", "foreground", or "orphan"
"#,
        1,
    );
}

/// logs come from the kubelet's kept output; explain documents the simulated kinds.
#[test]
fn logs_and_explain() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: hello\nspec:\n  restartPolicy: Never\n  containers:\n  - name: main\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo hello; echo world\"]\n",
        ),
        r#"pod/hello created
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 5);
    golden(
        &mut sim,
        "get pods",
        None,
        r#"NAME    READY   STATUS      RESTARTS   AGE
hello   0/1     Completed   0          5s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "logs hello",
        None,
        r#"hello
world
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "logs pod/hello --tail=1",
        None,
        r#"world
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "logs hello -c other",
        None,
        r#""#,
        r#"Error from server (BadRequest): container other is not valid for pod hello
"#,
        1,
    );
    golden(
        &mut sim,
        "logs nope",
        None,
        r#""#,
        r#"Error from server (NotFound): pods "nope" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "explain pods.spec",
        None,
        r#"KIND:       Pod
VERSION:    v1

FIELD: spec

DESCRIPTION:
    What the pod should run and where it may run.

FIELDS:
  affinity	<Affinity>
    Rules for the nodes the pod may be scheduled on.

  containers	<[]Container> -required-
    The app containers of the pod.

  initContainers	<[]Container>
    Containers run one by one before the app containers.

  nodeName	<string>
    The node the pod is bound to; set by the scheduler.

  nodeSelector	<map[string]string>
    Labels a node must carry to run the pod.

  restartPolicy	<string>
    Always, OnFailure or Never; Always when unset.

  terminationGracePeriodSeconds	<integer>
    Seconds between SIGTERM and SIGKILL; 30 when unset.

  tolerations	<[]Toleration>
    Taints the pod tolerates.

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "explain ds",
        None,
        r#"KIND:       DaemonSet
VERSION:    apps/v1

DESCRIPTION:
    A DaemonSet runs one copy of a pod on every eligible node.

FIELDS:
  apiVersion	<string>
    The versioned schema of this object.

  kind	<string>
    The REST resource this object represents.

  metadata	<ObjectMeta>
    Standard object's metadata.

  spec	<DaemonSetSpec>
    The desired behavior of this daemon set.

  status	<DaemonSetStatus>
    What the controller last observed.

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "explain ds.spec.nope",
        None,
        r#""#,
        r#"error: field "spec.nope" does not exist
"#,
        1,
    );
    golden(
        &mut sim,
        "explain jobs",
        None,
        r#"KIND:       Job
VERSION:    batch/v1

DESCRIPTION:
    A Job runs pods until a number of them finish successfully.

FIELDS:
  apiVersion	<string>
    The versioned schema of this object.

  kind	<string>
    The REST resource this object represents.

  metadata	<ObjectMeta>
    Standard object's metadata.

  spec	<JobSpec>
    How many pods to run, how often to retry, the pod template.

  status	<JobStatus>
    Active, succeeded and failed pods, and the conditions.

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "explain cronjobs",
        None,
        r#"KIND:       CronJob
VERSION:    batch/v1

DESCRIPTION:
    A CronJob creates Jobs on a repeating schedule.

FIELDS:
  apiVersion	<string>
    The versioned schema of this object.

  kind	<string>
    The REST resource this object represents.

  metadata	<ObjectMeta>
    Standard object's metadata.

  spec	<CronJobSpec>
    The schedule and the Job template.

  status	<CronJobStatus>
    Active Jobs and the last scheduled and successful times.

"#,
        r#""#,
        0,
    );
}

/// unknown commands, flags, types and objects give kubectl's messages and change nothing.
#[test]
fn errors_are_worded_like_kubectl() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "gte pods",
        None,
        r#""#,
        r#"error: unknown command "gte" for "kubectl"

Did you mean this?
	get
"#,
        1,
    );
    golden(
        &mut sim,
        "lgos hello",
        None,
        r#""#,
        r#"error: unknown command "lgos" for "kubectl"

Did you mean this?
	logs
"#,
        1,
    );
    golden(
        &mut sim,
        "frobnicate",
        None,
        r#""#,
        r#"error: unknown command "frobnicate" for "kubectl"
"#,
        1,
    );
    golden(
        &mut sim,
        "get pods --foo",
        None,
        r#""#,
        r#"error: unknown flag: --foo
See 'kubectl get --help' for usage.
"#,
        1,
    );
    golden(
        &mut sim,
        "get pods -x",
        None,
        r#""#,
        r#"error: unknown shorthand flag: 'x' in -x
See 'kubectl get --help' for usage.
"#,
        1,
    );
    golden(
        &mut sim,
        "get pods -n",
        None,
        r#""#,
        r#"error: flag needs an argument: -n
See 'kubectl get --help' for usage.
"#,
        1,
    );
    golden(
        &mut sim,
        "get foos",
        None,
        r#""#,
        r#"error: the server doesn't have a resource type "foos"
"#,
        1,
    );
    golden(
        &mut sim,
        "get",
        None,
        r#""#,
        r#"error: You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.
"#,
        1,
    );
    golden(
        &mut sim,
        "get pods -l 'a in (b'",
        None,
        r#""#,
        r#"error: unable to parse requirement: found 'a in (b', expected: identifier
"#,
        1,
    );
    golden(
        &mut sim,
        "get pod 'unterminated",
        None,
        r#""#,
        r#"error: unterminated quote in command line
"#,
        1,
    );
}

/// Jobs apply from the kubernetes.io manifests; the template is immutable; get and describe print kubectl's Job columns.
#[test]
fn jobs_apply_get_and_describe() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/job.yaml")),
        r#"job.batch/pi created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/job.yaml")),
        r#"job.batch/pi unchanged
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared("kubernetes-website/indexed-job.yaml")),
        r#"job.batch/indexed-job created
"#,
        r#"Warning: not simulated: spec.template.spec.containers[0].volumeMounts
Warning: not simulated: spec.template.spec.initContainers[0].volumeMounts
Warning: not simulated: spec.template.spec.volumes
"#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(&shared(
            "kubernetes-website/job-pod-failure-policy-example.yaml",
        )),
        r#"job.batch/job-pod-failure-policy-example created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create job hello --image=busybox:1.36 -- echo hi",
        None,
        r#"job.batch/hello created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create job hello --image=busybox:1.36",
        None,
        r#""#,
        r#"Error from server (AlreadyExists): jobs.batch "hello" already exists
"#,
        1,
    );
    golden(
        &mut sim,
        "create job from-cj --from=cronjob/hello",
        None,
        r#""#,
        r#"Error from server (NotFound): cronjobs.batch "hello" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "create cronjob hello --image=busybox:1.28 --schedule='*/5 * * * *' -- date",
        None,
        r#"cronjob.batch/hello created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create job from-cj --from=cronjob/hello",
        None,
        r#"job.batch/from-cj created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create job from-ds --from=daemonset/x",
        None,
        r#""#,
        r#"error: from must be an existing cronjob: daemonset/x
"#,
        1,
    );
    golden(
        &mut sim,
        "get jobs",
        None,
        r#"NAME                             STATUS    COMPLETIONS   DURATION   AGE
from-cj                          Running   0/1                      0s
hello                            Running   0/1                      0s
indexed-job                      Running   0/5                      0s
job-pod-failure-policy-example   Running   0/12                     0s
pi                               Running   0/1                      0s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get jobs -o wide",
        None,
        r#"NAME                             STATUS    COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES                      SELECTOR
from-cj                          Running   0/1                      0s    hello        busybox:1.28                batch.kubernetes.io/controller-uid=1d46b36b-ff27-4046-aa92-d23dc91377c1
hello                            Running   0/1                      0s    hello        busybox:1.36                batch.kubernetes.io/controller-uid=2d110be4-5a96-4b9c-9eef-31c1ee909e6f
indexed-job                      Running   0/5                      0s    worker       docker.io/library/busybox   batch.kubernetes.io/controller-uid=a0ecba6f-595c-41d3-8cc9-96fd47e178fb
job-pod-failure-policy-example   Running   0/12                     0s    main         docker.io/library/bash:5    batch.kubernetes.io/controller-uid=683dfac9-dbaf-4c4d-b122-9e7e98b1ef41
pi                               Running   0/1                      0s    pi           perl                        batch.kubernetes.io/controller-uid=86b80697-1df0-46bc-8b65-14badb562d7b
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get job pi -o name",
        None,
        r#"job.batch/pi
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  backoffLimit: 4\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: pi\n        image: perl:5.40\n        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(1000)\"]\n",
        ),
        r#""#,
        r#"The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable
"#,
        1,
    );
    golden(
        &mut sim,
        "patch job pi -p '{\"spec\":{\"suspend\":true}}'",
        None,
        r#"job.batch/pi patched
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe job pi",
        None,
        r#"Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=86b80697-1df0-46bc-8b65-14badb562d7b
Labels:           <none>
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          true
Backoff Limit:    4
Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=86b80697-1df0-46bc-8b65-14badb562d7b,batch.kubernetes.io/job-name=pi,controller-uid=86b80697-1df0-46bc-8b65-14badb562d7b,job-name=pi
  Containers:
   pi:
    Image:  perl
Events:  <none>
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "delete job hello",
        None,
        r#"job.batch "hello" deleted
"#,
        r#""#,
        0,
    );
}

/// Deployments: the nginx example, scale, a rolling update by patch, rollout status/history/undo/restart, describe and foreground deletion.
#[test]
fn deployments_scale_rollout_and_describe() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(&example("nginx-deployment.yaml")),
        r#"deployment.apps/nginx-deployment created
"#,
        r#"Warning: not simulated: spec.template.spec.containers[0].ports
"#,
        0,
    );
    advance_secs(&mut sim, 30);
    golden(
        &mut sim,
        "get deploy",
        None,
        r#"NAME               READY   UP-TO-DATE   AVAILABLE   AGE
nginx-deployment   3/3     3            3           30s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get deploy -o wide",
        None,
        r#"NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES         SELECTOR
nginx-deployment   3/3     3            3           30s   nginx        nginx:1.14.2   app=nginx
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get rs",
        None,
        r#"NAME                          DESIRED   CURRENT   READY   AGE
nginx-deployment-55bbc74d95   3         3         3       30s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "scale deploy nginx-deployment --replicas=5",
        None,
        r#"deployment.apps/nginx-deployment scaled
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "scale deployment/nginx-deployment --replicas=many",
        None,
        r#""#,
        r#"error: invalid argument "many" for "--replicas" flag: strconv.ParseInt: parsing "many": invalid syntax
"#,
        1,
    );
    advance_secs(&mut sim, 30);
    golden(
        &mut sim,
        "get deployments.apps nginx-deployment",
        None,
        r#"NAME               READY   UP-TO-DATE   AVAILABLE   AGE
nginx-deployment   5/5     5            5           60s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create deployment web --image=nginx:1.27 --replicas=2",
        None,
        r#"deployment.apps/web created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "create deployment web --image=nginx:1.27",
        None,
        r#""#,
        r#"Error from server (AlreadyExists): deployments.apps "web" already exists
"#,
        1,
    );
    golden(
        &mut sim,
        "patch deploy nginx-deployment -p '{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.16.1\"}]}}}}'",
        None,
        r#"deployment.apps/nginx-deployment patched
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout status deploy/nginx-deployment",
        None,
        r#"Waiting for deployment spec update to be observed...
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 60);
    golden(
        &mut sim,
        "rollout status deploy/nginx-deployment",
        None,
        r#"deployment "nginx-deployment" successfully rolled out
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout history deploy/nginx-deployment",
        None,
        r#"deployment.apps/nginx-deployment 
REVISION  CHANGE-CAUSE
1         <none>
2         <none>

"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout undo deploy/nginx-deployment",
        None,
        r#"deployment.apps/nginx-deployment rolled back
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout undo deploy/nginx-deployment --to-revision=1",
        None,
        r#"deployment.apps/nginx-deployment skipped rollback (current template already matches revision 1)
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 60);
    golden(
        &mut sim,
        "get rs",
        None,
        r#"NAME                          DESIRED   CURRENT   READY   AGE
nginx-deployment-54ddd9c9d8   0         0         0       2m
nginx-deployment-55bbc74d95   5         5         5       3m
web-d799f97f5                 2         2         2       2m
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe deploy nginx-deployment",
        None,
        r#"Name:                   nginx-deployment
Namespace:              default
CreationTimestamp:      Mon, 01 Jan 2024 00:00:00 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 3
Selector:               app=nginx
Replicas:               5 desired | 5 updated | 5 total | 5 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:  nginx:1.14.2
OldReplicaSets:  <none>
NewReplicaSet:   nginx-deployment-55bbc74d95 (5/5 replicas created)
Events:
  Type    Reason             Age    From                   Message
  ----    ------             ----   ----                   -------
  Normal  ScalingReplicaSet  3m     deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 0 to 3
  Normal  ScalingReplicaSet  2m30s  deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 3 to 5
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled up replica set nginx-deployment-54ddd9c9d8 from 0 to 2
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled down replica set nginx-deployment-55bbc74d95 from 5 to 4
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled up replica set nginx-deployment-54ddd9c9d8 from 2 to 3
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled down replica set nginx-deployment-55bbc74d95 from 4 to 1
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled up replica set nginx-deployment-54ddd9c9d8 from 3 to 5
  Normal  ScalingReplicaSet  2m     deployment-controller  Scaled down replica set nginx-deployment-55bbc74d95 from 1 to 0
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 0 to 2
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled down replica set nginx-deployment-54ddd9c9d8 from 5 to 4
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 2 to 3
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled down replica set nginx-deployment-54ddd9c9d8 from 4 to 3
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 3 to 4
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled down replica set nginx-deployment-54ddd9c9d8 from 3 to 1
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled up replica set nginx-deployment-55bbc74d95 from 4 to 5
  Normal  ScalingReplicaSet  60s    deployment-controller  Scaled down replica set nginx-deployment-54ddd9c9d8 from 1 to 0
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "rollout restart deployment nginx-deployment",
        None,
        r#"deployment.apps/nginx-deployment restarted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "delete deploy web --cascade=foreground",
        None,
        r#"deployment.apps "web" deleted
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get deploy web",
        None,
        r#"NAME   READY   UP-TO-DATE   AVAILABLE   AGE
web    2/2     2            2           2m
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 60);
    golden(
        &mut sim,
        "get deploy web",
        None,
        r#""#,
        r#"Error from server (NotFound): deployments.apps "web" not found
"#,
        1,
    );
    golden(
        &mut sim,
        "get all",
        None,
        r#"NAME                                   READY   STATUS    RESTARTS   AGE
pod/nginx-deployment-f8fc87b8d-b79c5   1/1     Running   0          60s
pod/nginx-deployment-f8fc87b8d-kjr49   1/1     Running   0          60s
pod/nginx-deployment-f8fc87b8d-nd9cc   1/1     Running   0          60s
pod/nginx-deployment-f8fc87b8d-tsrcb   1/1     Running   0          60s
pod/nginx-deployment-f8fc87b8d-wsj6h   1/1     Running   0          60s

NAME                               READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/nginx-deployment   5/5     5            5           4m

NAME                                          DESIRED   CURRENT   READY   AGE
replicaset.apps/nginx-deployment-54ddd9c9d8   0         0         0       3m
replicaset.apps/nginx-deployment-55bbc74d95   0         0         0       4m
replicaset.apps/nginx-deployment-f8fc87b8d    5         5         5       60s
"#,
        r#""#,
        0,
    );
}

/// The hello CronJob runs every minute on the simulated clock; get, describe and suspend it.
#[test]
fn cronjobs_schedule_jobs_on_the_simulated_clock() {
    let mut sim = cluster();
    golden(
        &mut sim,
        "apply -f -",
        Some(&example("hello-cronjob.yaml")),
        r#"cronjob.batch/hello created
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "apply -f -",
        Some(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: bad\nspec:\n  schedule: \"0 0 * * 8\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox\n",
        ),
        r#""#,
        r#"The CronJob "bad" is invalid: spec.schedule: Invalid value: "0 0 * * 8": end of range (8) above maximum (6): 8
"#,
        1,
    );
    advance_secs(&mut sim, 150);
    golden(
        &mut sim,
        "get cronjobs",
        None,
        r#"NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
hello   * * * * *   <none>     False     0        30s             2m30s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get cj -o wide",
        None,
        r#"NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE     CONTAINERS   IMAGES         SELECTOR
hello   * * * * *   <none>     False     0        30s             2m30s   hello        busybox:1.28   <none>
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "get jobs",
        None,
        r#"NAME             STATUS     COMPLETIONS   DURATION   AGE
hello-28401121   Complete   1/1           1s         89s
hello-28401122   Complete   1/1           1s         29s
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "describe cj hello",
        None,
        r#"Name:                          hello
Namespace:                     default
Labels:                        <none>
Annotations:                   <none>
Schedule:                      * * * * *
Concurrency Policy:            Allow
Suspend:                       False
Successful Job History Limit:  3
Failed Job History Limit:      1
Starting Deadline Seconds:     <unset>
Selector:                      <none>
Parallelism:                   <unset>
Completions:                   <unset>
Pod Template:
  Labels:  <none>
  Containers:
   hello:
    Image:  busybox:1.28
Last Schedule Time:  Mon, 01 Jan 2024 00:02:00 +0000
Active Jobs:         <none>
Events:
  Type    Reason            Age   From                Message
  ----    ------            ----  ----                -------
  Normal  SuccessfulCreate  89s   cronjob-controller  Created job hello-28401121
  Normal  SawCompletedJob   88s   cronjob-controller  Saw completed job: hello-28401121, condition: Complete
  Normal  SuccessfulCreate  29s   cronjob-controller  Created job hello-28401122
  Normal  SawCompletedJob   28s   cronjob-controller  Saw completed job: hello-28401122, condition: Complete
"#,
        r#""#,
        0,
    );
    golden(
        &mut sim,
        "patch cj hello -p '{\"spec\":{\"suspend\":true}}'",
        None,
        r#"cronjob.batch/hello patched
"#,
        r#""#,
        0,
    );
    advance_secs(&mut sim, 120);
    golden(
        &mut sim,
        "get cj",
        None,
        r#"NAME    SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
hello   * * * * *   <none>     True      0        2m30s           4m30s
"#,
        r#""#,
        0,
    );
}
