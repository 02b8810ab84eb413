#!/usr/bin/env bash
# Fuzz the REST API with schemathesis against a live dev server, with every check (statuses,
# content types, bodies and headers as documented; schema-valid input accepted, invalid input
# refused; auth enforced) and the stateful phase, as an operator and as a volunteer. Schemathesis lives in its own venv (build/fuzz-venv) because it pulls PyPI
# `requests`, which our `requests` app shadows inside the project venv.
#
# Usage: scripts/api_fuzz.sh            (FUZZ_EXAMPLES=15 per operation by default)
# Uses a throwaway SQLite database and the in-memory cache; nothing of yours is touched.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
FUZZ_VENV="$ROOT/build/fuzz-venv"
EXAMPLES="${FUZZ_EXAMPLES:-15}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/covidarnost-fuzz.XXXXXX")"
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# One version: its checks are what the schema is held to (a new release adds checks).
SCHEMATHESIS_VERSION=4.32.5
if ! "$FUZZ_VENV/bin/st" --version 2>/dev/null | grep -q "version $SCHEMATHESIS_VERSION\$"; then
    echo "==> installing schemathesis $SCHEMATHESIS_VERSION into $FUZZ_VENV"
    "${FUZZ_PYTHON:-python3}" -m venv "$FUZZ_VENV"
    "$FUZZ_VENV/bin/pip" install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
fi

# The dev server's environment: DEBUG demo settings, a fresh database, no Redis, limits high
# enough that fuzzing reaches the handlers (the limits themselves are tested in tests/api).
export DEBUG=1
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
unset REDIS_URL
export CELERY_TASK_ALWAYS_EAGER=1
export API_THROTTLE_AUTH_IP=100000/min API_THROTTLE_AUTH_FAILURES=100000/hour
export API_THROTTLE_CREATE_USER=100000/min API_THROTTLE_CREATE_IP=100000/min
export LOG_LEVEL=WARNING

echo "==> migrating a throwaway database"
"$PYTHON" manage.py migrate --no-input -v 0

echo "==> seeding a group, an operator and a volunteer with tokens"
FUZZ_WORK="$WORK" "$PYTHON" manage.py shell -v 0 > "$WORK/tokens" <<'PY'
import os

from django.utils import timezone
from knox.models import AuthToken

from neighbors.models import Block, Group
from neighbors.services import neighbor_create
from requests.models import HelpRequest
from requests.services import help_request_claim, help_request_create
from users.models import User
from volunteers.models import Volunteer

group = Group.objects.create(name="Fuzz", slug="fuzz")
block = Block.objects.create(group=group, code="F1", address="Fuzz st. 1", latitude=59.98, longitude=30.30)
operator = User.objects.create_user("fuzz-operator", password="fuzz-Pass-123", group=group, role="operator")
user = User.objects.create_user("fuzz-volunteer", password="fuzz-Pass-123", group=group, role="volunteer")
volunteer = Volunteer.objects.create(user=user, status="verified", verified_at=timezone.now(),
                         safety_protocol_accepted_at=timezone.now(), max_open_tasks=20,
                         max_open_tasks_allowed=20,
                         base_latitude=59.98, base_longitude=30.30)
neighbor = neighbor_create(actor=operator, block=block, name="Fuzz Neighbor", flat="1", phone="+79110000000")
tasks = [
    help_request_create(created_by=operator, block=block, kind="groceries", details=f"item {n}",
                        source="phone", neighbor=neighbor)[0]
    for n in range(5)
]
held = help_request_claim(help_request=tasks[1], volunteer=volunteer)
with open(os.environ["FUZZ_WORK"] + "/seeded", "w") as seeded:
    seeded.write(" ".join(str(task.pk) for task in tasks))
# knox returns (row, token); only the token's hash is stored.
print(AuthToken.objects.create(user=operator)[1], AuthToken.objects.create(user=user)[1],
      tasks[0].pk, held.pk)
PY
read -r OPERATOR_TOKEN VOLUNTEER_TOKEN OPEN_ID HELD_ID < "$WORK/tokens"

# positive_data_acceptance (schema-valid input must not answer 400) has these exceptions, rules
# that depend on data or on the clock and so cannot be in a static schema, each stated in the
# schema's text: the kind must be one the caller's group offers (create, and the task list's
# filter), a due date at most a year from now (create), and signing in needs a username and
# password that match an account (400 otherwise).
cat > "$WORK/common.toml" <<TOML
[phases.stateful]
max-steps = ${FUZZ_STATEFUL_STEPS:-12}

[[operations]]
include-operation-id = "v1_requests_create"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]

[[operations]]
include-operation-id = "v1_tasks_list"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]

[[operations]]
include-operation-id = "v1_auth_token_create"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
TOML
# The examples, coverage and fuzzing phases get real ids, so path-parameter operations reach
# their logic instead of answering 404. The stateful phase (run on its own, without them)
# follows the schema's links instead (covidarnost/api_schema.py): blocks → create a request
# in a block → read it as a task → claim it → mark bought / deliver / release / report
# undeliverable → claim again.
cp "$WORK/common.toml" "$WORK/pinned.toml"
cat >> "$WORK/pinned.toml" <<TOML

[[operations]]
include-path-regex = '^/api/v1/(requests|tasks)/\{id\}/(claim/)?\$'
parameters = { id = "$OPEN_ID" }

[[operations]]
include-path-regex = '^/api/v1/tasks/\{id\}/(release|deliver|undeliverable|mark-bought)/\$'
parameters = { id = "$HELD_ID" }
TOML

PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "==> starting the dev server on 127.0.0.1:$PORT"
"$PYTHON" manage.py runserver "127.0.0.1:$PORT" --noreload > "$WORK/server.log" 2>&1 &
SERVER_PID=$!

SCHEMA="http://127.0.0.1:$PORT/api/schema/"
status=0
st_run() {  # st_run <config> <phases> <token> [options…]
    local config="$1" phases="$2" token="$3"
    shift 3
    # timeout: a hard stop should a phase run away; --max-examples bounds the usual run.
    timeout --signal=INT --kill-after=10 "${FUZZ_TIMEOUT:-90}" \
        "$FUZZ_VENV/bin/st" --config-file "$config" run "$SCHEMA" \
        --wait-for-schema 30 \
        --header "Authorization: Token $token" \
        --checks all \
        --max-examples "$EXAMPLES" \
        --phases "$phases" \
        --workers 1 \
        --seed "${FUZZ_SEED:-1}" \
        --no-color \
        --exclude-path /api/v1/auth/logout/ \
        "$@" || status=1
}
run() {
    local who="$1" token="$2"
    shift 2
    echo "==> schemathesis as $who: all checks; examples, coverage, fuzzing"
    st_run "$WORK/pinned.toml" examples,coverage,fuzzing "$token" "$@"
    echo "==> schemathesis as $who: all checks; stateful, following the links"
    st_run "$WORK/common.toml" stateful "$token" "$@"
}
# Signing out would revoke the very token the run uses (tests/api/test_auth_token.py covers it).
# An operator's API: entering requests, reading them, blocks, their account (the task
# endpoints answer them 403, which the volunteer run's auth checks cover).
run operator "$OPERATOR_TOKEN" --exclude-path-regex '^/api/v1/tasks/'
# A volunteer's API: their tasks, their account, blocks and entering a request (the staff view
# of a request, GET /api/v1/requests/{id}/, answers a volunteer 404 by design).
run volunteer "$VOLUNTEER_TOKEN" --include-path-regex '^/api/v1/(tasks|me|blocks|requests/$)'

# The stateful phase must have walked the links for real: requests entered through the API,
# then claimed (and some carried further) through the links from them.
echo "==> what the stateful phase did with the requests it created"
if ! FUZZ_WORK="$WORK" "$PYTHON" manage.py shell -v 0 <<'PY'
import os
import sys

from requests.models import HelpRequest, RequestEvent

seeded = open(os.environ["FUZZ_WORK"] + "/seeded").read().split()
created = HelpRequest.objects.exclude(pk__in=seeded)
events = RequestEvent.objects.filter(help_request__in=created)
counts = {
    action: events.filter(action=action).values("help_request").distinct().count()
    for action in ("claim", "mark_bought", "deliver", "release", "undeliverable")
}
print(f"created through the API: {created.count()}; of them " + ", ".join(
    f"{action}: {n}" for action, n in counts.items()
))
sys.exit(0 if counts["claim"] else 1)
PY
then
    echo "!! no request created through the API was claimed: the stateful phase did not chain"
    status=1
fi

if grep -E '" 5[0-9]{2} ' "$WORK/server.log" >/dev/null; then
    echo "!! the server answered 5xx:"
    grep -E '" 5[0-9]{2} |Traceback|Error' "$WORK/server.log" | head -40
    status=1
fi
if [[ $status -ne 0 ]]; then
    echo "API fuzzing FAILED (server log tail below)"
    tail -40 "$WORK/server.log"
fi
exit $status
