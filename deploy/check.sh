#!/usr/bin/env bash
# Static checks of the deployment files, for machines without a Docker engine or a cluster (CI included).
#   deploy/check.sh            exit status 0 when every check passes
# Needs bash and python3; installs PyYAML (apt python3-yaml) when missing. Uses kubectl, when present, to render
# the kustomization offline.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

python=python3
if ! "$python" -c 'import yaml' 2>/dev/null; then
  echo "PyYAML missing: installing python3-yaml"
  apt-get update -qq && apt-get install -y -qq python3 python3-yaml >/dev/null
  python=/usr/bin/python3 # Debian's package serves Debian's interpreter, not a pyenv one on PATH
fi

"$python" - "$repo" <<'PY'
import glob, http.server, json, os, re, socket, subprocess, sys, threading
import yaml

repo = sys.argv[1]
deploy = os.path.join(repo, "deploy")
failures = []
checked = 0


def check(condition, message):
    global checked
    checked += 1
    if not condition:
        failures.append(message)
    return bool(condition)


def rel(path):
    return os.path.relpath(path, repo)


# ---- every YAML file parses (duplicate keys are errors: PyYAML would keep the last one silently) -----------------
class StrictLoader(yaml.SafeLoader):
    pass


def no_duplicates(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {sorted(duplicates)}", node.start_mark)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, no_duplicates)

documents = {}
yaml_files = sorted(glob.glob(os.path.join(deploy, "**", "*.yaml"), recursive=True)
                    + glob.glob(os.path.join(deploy, "**", "*.yml"), recursive=True))
check(yaml_files, "no YAML files found under deploy/")
for path in yaml_files:
    try:
        with open(path, encoding="utf-8") as f:
            documents[path] = [d for d in yaml.load_all(f, Loader=StrictLoader) if d is not None]
        check(documents[path], f"{rel(path)}: empty")
    except yaml.YAMLError as e:
        check(False, f"{rel(path)}: invalid YAML: {e}")


def url_allowed(url):
    """The service's own start-up rule for JwksUri, AllowedJku and FhirServers: https, or http on loopback."""
    m = re.match(r"^(https?)://(\[[^\]]+\]|[^/:?#]+)", url or "")
    if not m:
        return False
    host = m.group(2).strip("[]").lower()
    return m.group(1) == "https" or host in ("localhost", "::1") or host.startswith("127.")


def check_client_urls(where, env):
    for key, value in env.items():
        if re.match(r"^CdsHooks__Clients__\d+__(JwksUri|AllowedJku__\d+|FhirServers__\d+)$", key):
            check(url_allowed(str(value)), f"{where}: {key}={value} must be https (http on loopback only), "
                                           "or the service refuses to start")
    check(str(env.get("ASPNETCORE_ENVIRONMENT", "Production")) != "Development",
          f"{where}: ASPNETCORE_ENVIRONMENT=Development accepts unsigned loopback calls only; use Production")


# ---- Dockerfile ---------------------------------------------------------------------------------------------------
dockerfile = os.path.join(deploy, "Dockerfile")
instructions = []  # (instruction, arguments) with continuations joined and comments dropped
with open(dockerfile, encoding="utf-8") as f:
    pending = ""
    for line in f:
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = (pending + stripped).strip()
        pending = ""
        word, _, args = full.partition(" ")
        instructions.append((word.upper(), args.strip()))

stages = []
for word, args in instructions:
    if word == "FROM":
        stages.append({"from": args, "items": []})
    elif stages:
        stages[-1]["items"].append((word, args))
named = {m.group(1).lower(): st for st in stages if (m := re.search(r"\bAS\s+(\S+)$", st["from"], re.I))}
if check(len(stages) >= 2 and "build" in named, "Dockerfile: expected a multi-stage build (a stage `AS build`, then runtime)"):
    build, runtime = named["build"], stages[-1]
    # The SMART app is bundled from its lockfile in a Node stage and copied into the build stage's wwwroot.
    smart = named.get("smart-app")
    if check(smart is not None, "Dockerfile: a `smart-app` stage must bundle the SMART app"):
        smart_runs = " ".join(a for w, a in smart["items"] if w == "RUN")
        check(re.match(r"^node:20\b", smart["from"]), f"Dockerfile: smart-app stage should be node:20, is {smart['from']}")
        check("npm ci" in smart_runs and "npm run build" in smart_runs, "Dockerfile: smart-app stage must `npm ci` (lockfile) and `npm run build`")
    check(any(w == "COPY" and "--from=smart-app" in a and "wwwroot/smart" in a for w, a in build["items"]),
          "Dockerfile: the build stage must copy the bundled app from smart-app into wwwroot/smart")
    check(re.match(r"^mcr\.microsoft\.com/dotnet/sdk:10\.0\b", build["from"]),
          f"Dockerfile: build stage should be mcr.microsoft.com/dotnet/sdk:10.0, is {build['from']}")
    check(re.match(r"^mcr\.microsoft\.com/dotnet/aspnet:10\.0\b", runtime["from"]),
          f"Dockerfile: runtime stage should be mcr.microsoft.com/dotnet/aspnet:10.0, is {runtime['from']}")
    build_runs = " ".join(a for w, a in build["items"] if w == "RUN")
    check(re.search(r"dotnet publish src/CrlmCdsHooks\.Api\b.*-c Release.*-o /app.*-p:SkipSmartAppBuild=true", build_runs),
          "Dockerfile: build stage must run `dotnet publish src/CrlmCdsHooks.Api -c Release -o /app ... -p:SkipSmartAppBuild=true`")
    # Restore inputs are copied before the sources (layer caching).
    copies = [a for w, a in build["items"] if w == "COPY"]
    first_src = next((i for i, a in enumerate(copies) if re.match(r"^src/\s", a)), None)
    first_props = next((i for i, a in enumerate(copies) if "Directory.Packages.props" in a), None)
    check(first_props is not None and first_src is not None and first_props < first_src,
          "Dockerfile: copy global.json/Directory.*.props before src/ so restore is cached")
    for props in ("global.json", "Directory.Build.props", "Directory.Packages.props"):
        check(any(props in a for a in copies), f"Dockerfile: {props} is not copied into the build stage")
    # Every COPY source from the context exists and is not excluded by .dockerignore.
    ignore_path = os.path.join(repo, ".dockerignore")
    ignored = []
    if check(os.path.isfile(ignore_path), ".dockerignore missing at the repository root"):
        with open(ignore_path, encoding="utf-8") as f:
            ignored = [l.strip() for l in f if l.strip() and not l.startswith("#")]
        for pattern in ("**/bin/", "**/obj/", ".git", "tests/"):
            check(pattern in ignored, f".dockerignore: should exclude {pattern}")
    for stage in stages:
        for word, args in stage["items"]:
            if word != "COPY" or "--from=" in args:
                continue
            sources = [s for s in args.split() if not s.startswith("--")][:-1]
            for source in sources:
                check(os.path.exists(os.path.join(repo, source)), f"Dockerfile: COPY source {source} does not exist")
                top = source.rstrip("/").split("/")[0]
                check(not any(p.rstrip("/") in (top, source.rstrip("/")) for p in ignored),
                      f"Dockerfile: COPY source {source} is excluded by .dockerignore")
    # Runtime stage: non-root user, port, environment, health check.
    users = [a for w, a in runtime["items"] if w == "USER"]
    check(users and users[-1].split(":")[0] not in ("root", "0"),
          "Dockerfile: the runtime stage must end with a non-root USER")
    check(any(w == "EXPOSE" and "8080" in a.split() for w, a in runtime["items"]), "Dockerfile: EXPOSE 8080 missing")
    env = " ".join(a for w, a in runtime["items"] if w == "ENV")
    for setting in ("ASPNETCORE_URLS=http://+:8080", "ASPNETCORE_ENVIRONMENT=Production", "DOTNET_EnableDiagnostics=0"):
        check(setting in env.split(), f"Dockerfile: runtime stage should set {setting}")
    check(any(w == "ENTRYPOINT" and "CrlmCdsHooks.Api.dll" in a for w, a in runtime["items"]),
          "Dockerfile: ENTRYPOINT should start CrlmCdsHooks.Api.dll")
    healthchecks = [a for w, a in runtime["items"] if w == "HEALTHCHECK"]
    if check(len(healthchecks) == 1, "Dockerfile: the runtime stage needs one HEALTHCHECK"):
        command = re.sub(r"^(--\S+\s+)*CMD\s+", "", healthchecks[0])
        check("/health/live" in command, "Dockerfile: HEALTHCHECK should request /health/live")
        try:
            argv = json.loads(command)
        except ValueError:
            argv = None
        # Exec form: the runtime image's /bin/sh is dash, without /dev/tcp.
        if check(isinstance(argv, list) and argv[:2] == ["bash", "-c"] and len(argv) == 3,
                 "Dockerfile: HEALTHCHECK should be exec form [\"bash\", \"-c\", script]"):
            script = argv[2]
            check(subprocess.run(["bash", "-n", "-c", script]).returncode == 0, "Dockerfile: HEALTHCHECK script: bash syntax")

            # Run the script against a stub server on a free port: 200 must pass, 503 must fail.
            class Stub(http.server.BaseHTTPRequestHandler):
                status = 200

                def do_GET(self):
                    self.send_response(Stub.status if self.path == "/health/live" else 404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

                def log_message(self, *args):
                    pass

            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            port = server.server_address[1]
            probe = script.replace("/127.0.0.1/8080", f"/127.0.0.1/{port}")
            check(probe != script, "Dockerfile: HEALTHCHECK should connect to 127.0.0.1:8080")
            for status, should_pass in ((200, True), (503, False)):
                Stub.status = status
                result = subprocess.run(["bash", "-c", probe], timeout=10, capture_output=True)
                check((result.returncode == 0) == should_pass,
                      f"Dockerfile: HEALTHCHECK with /health/live answering {status} should "
                      f"{'pass' if should_pass else 'fail'} (exit {result.returncode})")
            server.shutdown()


# ---- compose.yaml -------------------------------------------------------------------------------------------------
def interpolate(value):
    """${VAR:-default} and ${VAR-default} as Compose resolves them with VAR unset; $$ is a literal $."""
    text = str(value)
    text = re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", text)
    return text.replace("$$", "$")


def as_env(environment):
    if isinstance(environment, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {k: interpolate(v) for k, v in (environment or {}).items()}


compose_path = os.path.join(deploy, "compose.yaml")
compose = (documents.get(compose_path) or [{}])[0]
services = compose.get("services", {}) if isinstance(compose, dict) else {}
for name in ("cds", "hapi", "seed"):
    check(name in services, f"compose.yaml: service {name} missing")
declared_volumes = set((compose.get("volumes") or {}).keys()) if isinstance(compose, dict) else set()
for name, service in services.items():
    for dependency in (service.get("depends_on") or []):
        if check(dependency in services, f"compose.yaml: {name} depends on unknown service {dependency}"):
            condition = service["depends_on"][dependency].get("condition") if isinstance(service["depends_on"], dict) else None
            if condition == "service_healthy":
                check("healthcheck" in services[dependency],
                      f"compose.yaml: {name} waits for {dependency} to be healthy, but it has no healthcheck")
    for volume in service.get("volumes") or []:
        source = str(volume).split(":")[0]
        if source.startswith((".", "/")):
            check(os.path.exists(os.path.normpath(os.path.join(deploy, source))),
                  f"compose.yaml: {name} mounts {source}, which does not exist")
        else:
            check(source in declared_volumes, f"compose.yaml: {name} uses undeclared volume {source}")
    # Inline shell scripts (entrypoint sh -c) parse.
    if service.get("entrypoint") == ["/bin/sh", "-c"]:
        script = interpolate("".join(service.get("command") or []))
        check(subprocess.run(["sh", "-n", "-c", script]).returncode == 0, f"compose.yaml: {name} command: sh syntax")

cds = services.get("cds", {})
if cds:
    build = cds.get("build", {})
    check(os.path.isfile(os.path.normpath(os.path.join(deploy, build.get("context", "."), build.get("dockerfile", "Dockerfile")))),
          "compose.yaml: cds build context/dockerfile do not point at deploy/Dockerfile")
    check(cds.get("read_only") is True, "compose.yaml: cds must be read_only: true")
    check("/tmp" in [str(t).split(":")[0] for t in (cds.get("tmpfs") or [])], "compose.yaml: cds needs tmpfs /tmp")
    check(str(cds.get("user", "")).split(":")[0] not in ("", "root", "0"), "compose.yaml: cds must run as a non-root user")
    check(str(cds.get("mem_limit", "")).lower() == "512m", "compose.yaml: cds needs mem_limit 512m, the memory ceiling Kubernetes sets too")
    check(any(str(p).endswith(":8080") for p in cds.get("ports", [])), "compose.yaml: cds should publish port 8080")
    cds_env = as_env(cds.get("environment"))
    check(cds_env.get("ASPNETCORE_ENVIRONMENT") == "Production", "compose.yaml: cds should run in Production")
    for key in ("CdsHooks__PublicBaseUrl", "CdsHooks__Clients__0__Issuer", "CdsHooks__Clients__0__JwksUri",
                "CdsHooks__Clients__0__FhirServers__0"):
        check(cds_env.get(key), f"compose.yaml: cds needs {key}")
    check_client_urls("compose.yaml cds", cds_env)
    # Shared state and the audit store: each a compose service with a health check that cds waits for.
    for store, variable, pattern in (("redis", "ConnectionStrings__Redis", r"^redis:6379$"),
                                     ("postgres", "ConnectionStrings__AuditDb", r"(^|;)Host=postgres(;|$)")):
        check(re.search(pattern, str(cds_env.get(variable, ""))), f"compose.yaml: cds {variable} should name the {store} service")
        check(store in services and services[store].get("healthcheck"), f"compose.yaml: {store} service with a healthcheck missing")
        check((cds.get("depends_on") or {}).get(store, {}).get("condition") == "service_healthy",
              f"compose.yaml: cds should wait for {store} to be healthy")
    check(str(services.get("postgres", {}).get("image", "")).startswith("postgres:15"), "compose.yaml: postgres should be postgres:15")
    check(len(str(cds_env.get("Audit__PseudonymSecret", ""))) >= 32,
          "compose.yaml: cds needs Audit__PseudonymSecret (32+ characters), or it refuses to start in Production")
    fhir = cds_env.get("CdsHooks__Clients__0__FhirServers__0", "")
    host = re.sub(r"^https?://([^/:]+).*", r"\1", fhir)
    check(host in services, f"compose.yaml: cds's FHIR server host {host} is not a compose service")
hapi = services.get("hapi", {})
if hapi:
    check(str(hapi.get("image", "")).startswith("hapiproject/hapi"), "compose.yaml: hapi should use hapiproject/hapi")
    check("8081:8080" in [str(p) for p in hapi.get("ports", [])], "compose.yaml: hapi should publish 8081:8080")
    hapi_env = as_env(hapi.get("environment"))
    check(hapi_env.get("hapi.fhir.fhir_version") == "R4", "compose.yaml: hapi should serve R4")
    check(str(hapi_env.get("hapi.fhir.allow_external_references")).lower() == "true",
          "compose.yaml: hapi should allow external references")
check(any("healthcheck" in s and "/fhir/metadata" in json.dumps(s["healthcheck"]) for s in services.values()),
      "compose.yaml: no health check reads HAPI's /fhir/metadata")
seed = services.get("seed", {})
if seed:
    check(str(seed.get("image", "")).startswith("curlimages/curl"), "compose.yaml: seed should use curlimages/curl")
    check("../fhir-profiles/examples:/examples:ro" in seed.get("volumes", []),
          "compose.yaml: seed should mount ../fhir-profiles/examples read-only at /examples")
    script = "".join(seed.get("command") or [])
    check("/examples/*.bundle.json" in script and "http://hapi:8080/fhir" in script,
          "compose.yaml: seed should POST /examples/*.bundle.json to http://hapi:8080/fhir")
    check(str(seed.get("restart", "no")) == "no", "compose.yaml: seed is one-shot (restart: \"no\")")


# ---- Kubernetes ---------------------------------------------------------------------------------------------------
k8s = os.path.join(deploy, "k8s")
kustomization = (documents.get(os.path.join(k8s, "kustomization.yaml")) or [{}])[0]
resources = kustomization.get("resources", [])
check(resources, "k8s/kustomization.yaml: no resources")
objects = []
for resource in resources:
    path = os.path.join(k8s, resource)
    if check(os.path.isfile(path), f"k8s/kustomization.yaml: resource {resource} does not exist"):
        objects += documents.get(path, [])
for path in glob.glob(os.path.join(k8s, "*.yaml")):
    name = os.path.basename(path)
    check(name == "kustomization.yaml" or name in resources, f"k8s/{name} is not listed in kustomization.yaml")
by_kind = {}
for obj in objects:
    check(isinstance(obj, dict) and obj.get("apiVersion") and obj.get("kind") and obj.get("metadata", {}).get("name"),
          f"k8s: an object lacks apiVersion/kind/metadata.name: {str(obj)[:80]}")
    by_kind.setdefault(obj.get("kind"), []).append(obj)
for kind in ("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap"):
    check(len(by_kind.get(kind, [])) == 1, f"k8s: expected one {kind}, found {len(by_kind.get(kind, []))}")
services_by_name = {o["metadata"]["name"]: o for o in by_kind.get("Service", [])}
for name in ("crlm-cds-hooks", "crlm-redis", "crlm-postgres"):
    check(name in services_by_name, f"k8s: Service {name} missing")
statefulsets = {o["metadata"]["name"]: o for o in by_kind.get("StatefulSet", [])}
for name, port in (("crlm-redis", 6379), ("crlm-postgres", 5432)):
    if check(name in statefulsets, f"k8s: StatefulSet {name} missing"):
        template = statefulsets[name]["spec"]["template"]
        check(statefulsets[name]["spec"].get("selector", {}).get("matchLabels", {}).items() <= template["metadata"]["labels"].items(),
              f"k8s StatefulSet {name}: selector does not match the pod labels")
        check(services_by_name.get(name, {}).get("spec", {}).get("selector", {}).items() <= template["metadata"]["labels"].items(),
              f"k8s Service {name}: selector does not match the StatefulSet's pods")
        check(any(p.get("containerPort") == port for c in template["spec"]["containers"] for p in c.get("ports", [])),
              f"k8s StatefulSet {name}: containerPort {port} missing")
        check(template["spec"].get("securityContext", {}).get("runAsNonRoot") is True, f"k8s StatefulSet {name}: runAsNonRoot must be true")
if "crlm-postgres" in statefulsets:
    check(statefulsets["crlm-postgres"]["spec"].get("volumeClaimTemplates"), "k8s StatefulSet crlm-postgres: the audit needs a persistent volume")
    check(str(statefulsets["crlm-postgres"]["spec"]["template"]["spec"]["containers"][0].get("image", "")).startswith("postgres:15"),
          "k8s StatefulSet crlm-postgres: image should be postgres:15")


def quantity(value):
    """Kubernetes quantity to a number (bytes or cores)."""
    m = re.fullmatch(r"([0-9.]+)(m|Ki|Mi|Gi|k|M|G)?", str(value))
    if not m:
        return None
    factor = {None: 1, "m": 0.001, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}[m.group(2)]
    return float(m.group(1)) * factor


deployment = (by_kind.get("Deployment") or [{}])[0]
pod = deployment.get("spec", {}).get("template", {})
pod_labels = pod.get("metadata", {}).get("labels", {})
pod_spec = pod.get("spec", {})
containers = pod_spec.get("containers", [])
if deployment and check(len(containers) == 1, "k8s Deployment: expected one container"):
    c = containers[0]
    check(deployment["spec"].get("replicas") == 2, "k8s Deployment: replicas should be 2")
    selector = deployment["spec"].get("selector", {}).get("matchLabels", {})
    check(selector and selector.items() <= pod_labels.items(), "k8s Deployment: selector does not match the pod labels")
    port_names = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    check(8080 in port_names.values(), "k8s Deployment: containerPort 8080 missing")
    for probe, path in (("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live")):
        get = c.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path, f"k8s Deployment: {probe} should GET {path}, has {get.get('path')}")
        check(get.get("port") in port_names or get.get("port") == 8080, f"k8s Deployment: {probe} port is not the container's")
    pod_security = pod_spec.get("securityContext", {})
    security = c.get("securityContext", {})
    check(security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True, "k8s Deployment: runAsNonRoot must be true")
    check(security.get("runAsUser", pod_security.get("runAsUser", 1654)) != 0, "k8s Deployment: runAsUser must not be 0")
    check(security.get("readOnlyRootFilesystem") is True, "k8s Deployment: readOnlyRootFilesystem must be true")
    check(security.get("allowPrivilegeEscalation") is False, "k8s Deployment: allowPrivilegeEscalation must be false")
    check("ALL" in security.get("capabilities", {}).get("drop", []), "k8s Deployment: capabilities must drop ALL")
    volumes = {v.get("name"): v for v in pod_spec.get("volumes", [])}
    tmp = [m for m in c.get("volumeMounts", []) if m.get("mountPath") == "/tmp"]
    check(tmp and "emptyDir" in volumes.get(tmp[0].get("name"), {}), "k8s Deployment: /tmp must be an emptyDir mount")
    resources_ = c.get("resources", {})
    for bound in ("requests", "limits"):
        for r in ("cpu", "memory"):
            check(quantity(resources_.get(bound, {}).get(r)) is not None, f"k8s Deployment: resources.{bound}.{r} missing")
    request = quantity(resources_.get("requests", {}).get("memory")) or 0
    limit = quantity(resources_.get("limits", {}).get("memory")) or 0
    check(request >= 250 * 2**20 and limit > request, "k8s Deployment: memory request should cover ~250 MB RSS, limit above it")
    env_sources = c.get("envFrom", [])
    config_names = {o["metadata"]["name"] for o in by_kind.get("ConfigMap", [])}
    secret_names = {o["metadata"]["name"] for o in by_kind.get("Secret", [])}
    config_refs = [e["configMapRef"]["name"] for e in env_sources if "configMapRef" in e]
    secret_refs = [e["secretRef"]["name"] for e in env_sources if "secretRef" in e]
    check(config_refs and set(config_refs) <= config_names, "k8s Deployment: envFrom ConfigMap missing or unknown")
    check(secret_refs and set(secret_refs) <= secret_names, "k8s Deployment: envFrom Secret missing or unknown")
    service = services_by_name.get("crlm-cds-hooks", {})
    check(service.get("spec", {}).get("selector", {}).items() <= pod_labels.items() and service.get("spec", {}).get("selector"),
          "k8s Service: selector does not match the pod labels")
    for p in service.get("spec", {}).get("ports", []):
        check(p.get("targetPort") in port_names or p.get("targetPort") in port_names.values(),
              f"k8s Service: targetPort {p.get('targetPort')} is not a container port")
    hpa = (by_kind.get("HorizontalPodAutoscaler") or [{}])[0]
    check(hpa.get("apiVersion") == "autoscaling/v2", "k8s HPA: apiVersion should be autoscaling/v2")
    check(hpa.get("spec", {}).get("scaleTargetRef", {}).get("name") == deployment["metadata"]["name"],
          "k8s HPA: scaleTargetRef does not name the Deployment")
    cpu = [m for m in hpa.get("spec", {}).get("metrics", []) if m.get("resource", {}).get("name") == "cpu"]
    check(cpu and cpu[0]["resource"].get("target", {}).get("averageUtilization") == 70, "k8s HPA: CPU target should be 70%")
    check(hpa.get("spec", {}).get("minReplicas", 1) >= 2, "k8s HPA: minReplicas below 2 defeats the PDB")
    pdb = (by_kind.get("PodDisruptionBudget") or [{}])[0]
    check(pdb.get("spec", {}).get("minAvailable") == 1, "k8s PDB: minAvailable should be 1")
    check(pdb.get("spec", {}).get("selector", {}).get("matchLabels", {}).items() <= pod_labels.items()
          and pdb.get("spec", {}).get("selector", {}).get("matchLabels"), "k8s PDB: selector does not match the pod labels")
k8s_env = {}
app_secrets = [o for o in by_kind.get("Secret", []) if o["metadata"]["name"] in {e["secretRef"]["name"] for c in containers for e in c.get("envFrom", []) if "secretRef" in e}]
for obj in by_kind.get("ConfigMap", []) + app_secrets:
    data = {**(obj.get("data") or {}), **(obj.get("stringData") or {})}
    for key, value in data.items():
        # Kubernetes' rule for variable names (envFrom skips, or refuses, keys that break it).
        check(re.fullmatch(r"[-._a-zA-Z][-._a-zA-Z0-9]*", key), f"k8s {obj['kind']}: key {key} is not a valid env var name")
        check(isinstance(value, str), f"k8s {obj['kind']}: {key} should be a string (quote it)")
    k8s_env.update(data)
check_client_urls("k8s", k8s_env)
check(re.match(r"^https?://", str(k8s_env.get("CdsHooks__PublicBaseUrl", ""))), "k8s: CdsHooks__PublicBaseUrl missing")
check(k8s_env.get("CdsHooks__Clients__0__Issuer"), "k8s: no client registered (CdsHooks__Clients__0__Issuer)")
check("JWT replay" in open(os.path.join(k8s, "deployment.yaml"), encoding="utf-8").read(),
      "k8s/deployment.yaml: how replay detection is shared by the replicas should be noted")
# With 2+ replicas, replay detection and rate limits must be shared, and the audit must not be a file in a pod.
check(k8s_env.get("ConnectionStrings__Redis") == "crlm-redis:6379", "k8s: ConnectionStrings__Redis should name the crlm-redis Service")
check(re.search(r"(^|;)Host=crlm-postgres(;|$)", str(k8s_env.get("ConnectionStrings__AuditDb", ""))),
      "k8s: ConnectionStrings__AuditDb should name the crlm-postgres Service")
check(len(str(k8s_env.get("Audit__PseudonymSecret", ""))) >= 32, "k8s: Audit__PseudonymSecret (32+ characters) missing from the Secret")


# ---- README documents every setting -------------------------------------------------------------------------------
readme = open(os.path.join(deploy, "README.md"), encoding="utf-8").read()
prefixes = {"CdsClientOptions": "CdsHooks__Clients__N"}  # a list item, not a section of its own
for source in glob.glob(os.path.join(repo, "src", "**", "*.cs"), recursive=True):
    if os.sep + "obj" + os.sep in source or os.sep + "bin" + os.sep in source:
        continue
    text = open(source, encoding="utf-8").read()
    for m in re.finditer(r"public sealed class (\w+Options)\b(.*?)(?=\n(?:public |internal |/// <summary>)|\Z)", text, re.S):
        name, body = m.group(1), m.group(2)
        section = re.search(r'const string Section = "([^"]+)"', body)
        prefix = section.group(1).replace(":", "__") if section else prefixes.get(name)
        if prefix is None:
            continue
        for prop in re.findall(r"public [\w<>\[\]?, ]+? (\w+) \{ get; set; \}", body):
            # Terminology keys are documented by name (Terminology__<Key>__N); the others by variable.
            if prefix == "Terminology":
                check(f"`{prop}`" in readme, f"deploy/README.md: Terminology key {prop} ({rel(source)}) is not documented")
            else:
                check(f"{prefix}__{prop}" in readme,
                      f"deploy/README.md: {prefix}__{prop} ({name}, {rel(source)}) is not in the settings table")
used = set(as_env(cds.get("environment")).keys()) | set(k8s_env.keys()) if cds else set(k8s_env.keys())
for variable in sorted(used | {"ASPNETCORE_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME"}):
    generic = re.sub(r"__\d+", "__N", variable)
    check(variable in readme or generic in readme, f"deploy/README.md: {variable} (used in the deploy files) is not documented")


print(f"{checked} checks, {len(failures)} failed")
for failure in failures:
    print(f"FAIL {failure}")
sys.exit(1 if failures else 0)
PY

# Render the kustomization offline, as `kubectl apply -k` would (no cluster needed); skipped without kubectl.
if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize "$here/k8s" >/dev/null
  echo "kubectl kustomize deploy/k8s: ok"
else
  echo "kubectl not found: kustomize rendering skipped"
fi
echo "deploy checks passed"
