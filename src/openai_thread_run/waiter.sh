# shellcheck shell=sh
# Wait for an OpenAI Assistants run to finish, on a machine without python3: the program of the run's
# local-exec provisioner when the construct's waiter is "sh", or "auto" (then it first hands over to
# waiter.py when python3 3.9 or newer is on PATH).
#
# Terraform runs it as `sh -c <this text> openai-thread-run-wait`. It does what waiter.py does, with the same
# inputs (the environment variables OTR_THREAD_ID, OTR_RUN_ID, OTR_TIMEOUT_SECONDS, OPENAI_API_KEY,
# OPENAI_API_URL, OPENAI_ORGANIZATION), polling, backoff, Retry-After, timeout, messages and exit statuses:
# 0 when the run completed (one line on stdout), 1 when it ended otherwise, timed out or the API refused the
# request, 2 when an input is missing or invalid or a tool it needs is not on PATH (one line on stderr each
# time). It needs a POSIX sh, awk, date, mktemp, rm and sleep, and curl or GNU Wget 1.x. The API key is never
# printed, and never on a command line: curl reads its headers from standard input (-K -), GNU Wget from a
# startup file (--config) in a temporary folder only its user can read. JSON is read by the awk program below
# (JSON_AWK), byte for byte; NUL and lone surrogates in a message become U+FFFD, as in waiter.py.
#
# The values between @ signs are filled in from openai_thread_run.waiter when the stack is synthesized, so
# that both waiters say the same.

CHECKED_AGAIN=@CHECKED_AGAIN@
RUN_STAYS=@RUN_STAYS@
CANNOT_ANSWER_TOOLS=@CANNOT_ANSWER_TOOLS@
STILL_RUNNING=@STILL_RUNNING@
DEFAULT_API_URL=@DEFAULT_API_URL@
USER_AGENT=@USER_AGENT@
FIRST_DELAY_MS=@FIRST_DELAY_MS@
DELAY_FACTOR_PERCENT=@DELAY_FACTOR_PERCENT@
MAX_DELAY_MS=@MAX_DELAY_MS@
REQUEST_TIMEOUT_MS=@REQUEST_TIMEOUT_MS@
MIN_REQUEST_TIMEOUT_MS=@MIN_REQUEST_TIMEOUT_MS@
EXIT_COMPLETED=@EXIT_COMPLETED@
EXIT_FAILED=@EXIT_FAILED@
EXIT_BAD_INPUT=@EXIT_BAD_INPUT@
NEEDS=@SH_WAITER_NEEDS@
NO_CLIENT=@NO_CLIENT@
NO_CLIENT_NOR_PYTHON=@NO_CLIENT_NOR_PYTHON@
MISSING_TOOLS=@MISSING_TOOLS@

# Reads what curl, wget and the API answered, and prints it as sh assignments (`name='value'`) for eval:
#   mode=run      a run object: run_ok, run_status, error_code, error_message, incomplete_reason, tool_calls
#   mode=error    an error body: api_message (the error.message of the OpenAI envelope, or empty)
#   mode=headers  curl's header dump or wget's log (client=curl or wget): http_status, http_reason,
#                 retry_after_ms, client_problem (the last line of wget's log that is not a header)
#   mode=quote    ENVIRON["OTR_TEXT"] percent-encoded as a URL path segment (as urllib.parse.quote does)
#   mode=repr     ENVIRON["OTR_TEXT"] as Python's repr() shows a string
# shellcheck disable=SC2016 # awk's $ are awk's
JSON_AWK='
BEGIN {
  S = SUBSEP
  ROOT = "$"
  Q = sprintf("%c", 39)
  for (i = 1; i < 256; i++) ord[sprintf("%c", i)] = i
  esc["\""] = "\""; esc["\\"] = "\\"; esc["/"] = "/"
  esc["b"] = "\b"; esc["f"] = "\f"; esc["n"] = "\n"; esc["r"] = "\r"; esc["t"] = "\t"
  CONTROL = "[" sprintf("%c", 1) "-" sprintf("%c", 31) "]"
  NUMBER = "^-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][-+]?[0-9]+)?$"
  REPLACEMENT = "\357\277\275"
  # UTF-8, as Python decodes it with surrogatepass (so also the encoded surrogates, ED A0 80 to ED BF BF)
  HIGH = "[\200-\377]"
  UTF8 = "[\302-\337][\200-\277]|\340[\240-\277][\200-\277]|[\341-\357][\200-\277][\200-\277]|" \
    "\360[\220-\277][\200-\277][\200-\277]|[\361-\363][\200-\277][\200-\277][\200-\277]|" \
    "\364[\200-\217][\200-\277][\200-\277]"
  SURROGATE = "\355[\240-\277][\200-\277]"
  split("UT 0 UTC 0 GMT 0 Z 0 AST -4 ADT -3 EST -5 EDT -4 CST -6 CDT -5 MST -7 MDT -6 PST -8 PDT -7", z, " ")
  for (i = 1; i < 30; i += 2) ZONES[z[i]] = z[i + 1]
  if (mode == "quote") { print percent(ENVIRON["OTR_TEXT"]); exit }
  if (mode == "repr") { print repr(ENVIRON["OTR_TEXT"]); exit }
}
# Lines joined by CR: whitespace between tokens, and invalid inside a string, as a raw newline is
# (the split of one-true-awk also cuts at newlines).
mode == "run" || mode == "error" { doc = doc $0 "\r" }
mode == "headers" {
  line = $0
  sub(/\r$/, "", line)
  if (client == "wget") {
    if (line !~ /^  /) { if (line != "") problem = line; next }
    line = substr(line, 3)
  }
  if (line ~ /^HTTP\/[0-9.]+ [0-9][0-9][0-9]/) {
    status = substr(line, index(line, " ") + 1)
    reason = substr(status, 5)
    status = substr(status, 1, 3)
    retry_after = ""
    in_head = 1
  } else if (in_head && tolower(substr(line, 1, 12)) == "retry-after:" && retry_after == "") {
    retry_after = substr(line, 13)
    sub(/^[ \t]+/, "", retry_after); sub(/[ \t]+$/, "", retry_after)
  }
}
END {
  if (mode == "headers") {
    emit("http_status", status); emit("http_reason", reason)
    emit("retry_after_ms", retry_ms(retry_after)); emit("client_problem", problem)
    exit
  }
  if (mode != "run" && mode != "error") exit
  if (substr(doc, 1, 3) == "\357\273\277") doc = substr(doc, 4)
  ok = utf8(doc) && tokenize(doc) && parse()
  if (mode == "error") {
    p = ROOT S "error" S "message"
    emit("api_message", ok && typ[ROOT] == "o" && typ[ROOT S "error"] == "o" && typ[p] == "s" ? val[p] : "")
    exit
  }
  if (!ok || typ[ROOT] != "o" || typ[ROOT S "status"] != "s") { emit("run_ok", ""); exit }
  emit("run_ok", "yes")
  emit("run_status", val[ROOT S "status"])
  emit("error_code", text(ROOT S "last_error" S "code"))
  emit("error_message", text(ROOT S "last_error" S "message"))
  emit("incomplete_reason", text(ROOT S "incomplete_details" S "reason"))
  calls = ROOT S "required_action" S "submit_tool_outputs" S "tool_calls"
  listed = ""
  if (typ[calls] == "a") {
    for (i = 0; (calls S i) in typ; i++) {
      call = calls S i S "function"
      listed = listed (i ? ", " : "") text(call S "name") "(" text(call S "arguments") ")"
    }
  }
  emit("tool_calls", listed)
}

# -- output ----------------------------------------------------------------------------------------------

function emit(name, value,    out, p) {
  out = ""
  while ((p = index(value, Q)) > 0) {
    out = out substr(value, 1, p - 1) Q "\\" Q Q
    value = substr(value, p + 1)
  }
  print name "=" Q out value Q
}

function text(path) { return typ[path] == "s" ? val[path] : "None" }

# -- tokens: strings (raw, between quotes), punctuation, and bare words (numbers, literals) ----------------

# seg[] holds the text between quotes; a string token is seg[first[k]] .. seg[last[k]] (joined by the quotes
# its backslashes escape), so that no string is copied unless its value is read.
function tokenize(doc,    n, i) {
  nt = 0
  n = split(doc, seg, "\"")
  for (i = 1; i <= n; i++) {
    structural(seg[i])
    if (++i > n) break
    tok[++nt] = "s"; first[nt] = i
    while (match(seg[i], /\\+$/) && RLENGTH % 2 == 1) {
      if (!valid_piece(substr(seg[i], 1, length(seg[i]) - 1)) || ++i > n) return 0
    }
    if (!valid_piece(seg[i]) || i == n) return 0
    last[nt] = i
  }
  return 1
}

function raw(k,    s, i) {
  s = seg[first[k]]
  for (i = first[k] + 1; i <= last[k]; i++) s = s "\"" seg[i]
  return s
}

function structural(t,    n, j, c, word) {
  n = length(t)
  word = ""
  for (j = 1; j <= n; j++) {
    c = substr(t, j, 1)
    if (c == " " || c == "\t" || c == "\n" || c == "\r" || index("{}[]:,", c)) {
      if (word != "") { tok[++nt] = "w"; words[nt] = word; word = "" }
      if (c != " " && c != "\t" && c != "\n" && c != "\r") tok[++nt] = c
    } else {
      word = word c
    }
  }
  if (word != "") { tok[++nt] = "w"; words[nt] = word }
}

# -- the parser: an explicit stack, so any depth parses; typ[path] and val[path] of what it read ------------

function parse(    sp, want, path, t, key) {
  ti = 1; sp = 0; want = "value"; path = ROOT
  while (1) {
    if (want == "value") {
      if (ti > nt) return 0
      t = tok[ti++]
      forget(path)
      if (t == "{" || t == "[") {
        typ[path] = t == "{" ? "o" : "a"
        kind[++sp] = typ[path]; at[sp] = path; count[sp] = 0
        want = t == "{" ? "first key" : "first item"
        continue
      }
      if (t == "s") string_value(path, ti - 1)
      else if (t == "w") { if (!word_value(path, words[ti - 1])) return 0 }
      else return 0
      want = "after"
      continue
    }
    if (want == "after") {
      if (sp == 0) return ti > nt
      if (ti > nt) return 0
      t = tok[ti++]
      if (t == ",") {
        if (kind[sp] == "o") want = "key"
        else { path = at[sp] S count[sp]++; want = "value" }
      } else if ((t == "}" && kind[sp] == "o") || (t == "]" && kind[sp] == "a")) {
        sp--
      } else {
        return 0
      }
      continue
    }
    if (want == "first item") {
      if (ti <= nt && tok[ti] == "]") { ti++; sp--; want = "after"; continue }
      path = at[sp] S count[sp]++; want = "value"
      continue
    }
    if (want == "first key") {
      if (ti <= nt && tok[ti] == "}") { ti++; sp--; want = "after"; continue }
      want = "key"
    }
    if (ti + 1 > nt || tok[ti] != "s" || tok[ti + 1] != ":") return 0
    path = at[sp] S decode(raw(ti))
    ti += 2
    want = "value"
  }
}

function forget(path,    k) {
  if (!(path in typ)) return
  for (k in typ) if (k == path || index(k, path S) == 1) { delete typ[k]; delete val[k] }
}

function word_value(path, word) {
  if (word ~ NUMBER || word == "NaN" || word == "Infinity" || word == "-Infinity") typ[path] = "n"
  else if (word == "true" || word == "false") typ[path] = "b"
  else if (word == "null") typ[path] = "z"
  else return 0
  return 1
}

function string_value(path, k) {
  typ[path] = "s"
  if (wanted(path)) val[path] = decode(raw(k))
}

function wanted(path,    n, p) {
  n = split(path, p, S)
  if (n == 2) return p[2] == "status"
  if (n == 3) return (p[2] == "last_error" && (p[3] == "code" || p[3] == "message")) \
    || (p[2] == "incomplete_details" && p[3] == "reason") || (p[2] == "error" && p[3] == "message")
  return n == 7 && p[2] == "required_action" && p[3] == "submit_tool_outputs" && p[4] == "tool_calls" \
    && p[6] == "function" && (p[7] == "name" || p[7] == "arguments")
}

# Text of a JSON string between two quotes: no raw control character, only the escapes of JSON.
function valid_piece(s) {
  if (s ~ CONTROL) return 0
  if (index(s, "\\") == 0) return 1
  gsub(/\\["\\\/bfnrt]/, "", s)
  gsub(/\\u[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]/, "", s)
  return index(s, "\\") == 0
}

function decode(s,    out, p, c, cp, low) {
  out = ""
  while ((p = index(s, "\\")) > 0) {
    out = out substr(s, 1, p - 1)
    c = substr(s, p + 1, 1)
    if (c != "u") { out = out esc[c]; s = substr(s, p + 2); continue }
    cp = hex4(substr(s, p + 2, 4))
    s = substr(s, p + 6)
    if (cp >= 55296 && cp < 56320 && substr(s, 1, 2) == "\\u") {
      low = hex4(substr(s, 3, 4))
      if (low >= 56320 && low < 57344) { cp = 65536 + (cp - 55296) * 1024 + (low - 56320); s = substr(s, 7) }
    }
    out = out char(cp)
  }
  out = out s
  if (out ~ HIGH) gsub(SURROGATE, REPLACEMENT, out)
  return out
}

function utf8(doc) {
  if (doc !~ HIGH) return 1
  gsub(UTF8, "", doc)
  return doc !~ HIGH
}

function hex4(h,    i, v) {
  v = 0
  for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", tolower(substr(h, i, 1))) - 1
  return v
}

# UTF-8 of a code point; NUL and lone surrogates become U+FFFD (the Python waiter prints them the same way).
function char(cp) {
  if (cp == 0 || (cp >= 55296 && cp < 57344)) return REPLACEMENT
  if (cp < 128) return sprintf("%c", cp)
  if (cp < 2048) return sprintf("%c%c", 192 + int(cp / 64), 128 + cp % 64)
  if (cp < 65536) return sprintf("%c%c%c", 224 + int(cp / 4096), 128 + int(cp / 64) % 64, 128 + cp % 64)
  return sprintf("%c%c%c%c", 240 + int(cp / 262144), 128 + int(cp / 4096) % 64, 128 + int(cp / 64) % 64, \
    128 + cp % 64)
}

# -- small helpers of the sh waiter ------------------------------------------------------------------------

function percent(s,    out, i, c) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c ~ /[A-Za-z0-9_.~-]/) out = out c
    else out = out sprintf("%%%02X", ord[c])
  }
  return out
}

function retry_ms(value,    seconds) {
  if (value == "") return 0
  if (value ~ /^[+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?$/) seconds = value + 0
  else if (value ~ /^[+]?[Ii][Nn][Ff]([Ii][Nn][Ii][Tt][Yy])?$/) seconds = 1e9
  else if ((seconds = http_date(value)) > 0) {
    "date +%s" | getline now
    seconds -= now
  }
  return seconds > 0 ? int(seconds * 1000) : 0
}

# Seconds since the epoch of an RFC 2822 date ("Wed, 21 Oct 2015 07:28:00 GMT", a zone such as +0200 or EST),
# as email.utils of Python reads it; 0 when it is not one.
function http_date(v,    w, n, i, day, mon, year, clock, zone, t, offset, y, era, yoe, doy, days) {
  gsub(/,/, " ", v)
  sub(/^[ \t]+/, "", v)
  n = split(v, w, /[ \t]+/)
  i = 1
  if (n && w[1] ~ /^[A-Za-z]+$/ && month(w[1]) == 0) i = 2
  day = w[i]; mon = month(w[i + 1]); year = w[i + 2]; clock = w[i + 3]; zone = w[i + 4]
  if (mon == 0 && month(day)) { mon = month(day); day = w[i + 1] }
  if (day !~ /^[0-9]+$/ || mon == 0 || year !~ /^[0-9]+$/ || clock !~ /^[0-9]+:[0-9]+(:[0-9]+)?$/) return 0
  year += 0
  if (year < 100) year += year > 68 ? 1900 : 2000
  split(clock, t, ":")
  offset = 0
  if (zone ~ /^[-+][0-9][0-9][0-9][0-9]$/) {
    offset = substr(zone, 2, 2) * 3600 + substr(zone, 4, 2) * 60
    if (substr(zone, 1, 1) == "-") offset = -offset
  } else if (toupper(zone) in ZONES) {
    offset = ZONES[toupper(zone)] * 3600
  }
  y = year - (mon <= 2)
  era = int(y / 400); yoe = y - era * 400
  doy = int((153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5) + day - 1
  days = era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
  return days * 86400 + t[1] * 3600 + t[2] * 60 + t[3] - offset
}

function month(name) { return int((index("janfebmaraprmayjunjulaugsepoctnovdec", tolower(substr(name, 1, 3))) + 2) / 3) * (length(name) >= 3) }

function repr(s,    q, out, i, c) {
  q = index(s, Q) && !index(s, "\"") ? "\"" : Q
  out = q
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\" || c == q) out = out "\\" c
    else if (c == "\n") out = out "\\n"
    else if (c == "\r") out = out "\\r"
    else if (c == "\t") out = out "\\t"
    else if (ord[c] < 32 || ord[c] == 127) out = out sprintf("\\x%02x", ord[c])
    else out = out c
  }
  return out q
}
'

# -- output -------------------------------------------------------------------------------------------------

# say STREAM TEXT: print TEXT and a newline on stdout (1) or stderr (2), with the API key replaced.
say() {
  redacted=
  said=$2
  if [ -n "${key-}" ]; then
    while :; do
      case $said in
      *"$key"*)
        redacted=$redacted${said%%"$key"*}'[redacted]'
        said=${said#*"$key"}
        ;;
      *) break ;;
      esac
    done
  fi
  if [ "$1" = 1 ]; then printf '%s\n' "$redacted$said"; else printf '%s\n' "$redacted$said" >&2; fi
}

# fail STATUS TEXT: print TEXT on stderr and exit with STATUS.
fail() {
  say 2 "$2"
  exit "$1"
}

# sentence TEXT: sets `sentence` to TEXT without trailing whitespace, ending in one full stop (or its own ! or ?).
sentence() {
  sentence=${1%"${1##*[![:space:]]}"}
  case $sentence in
  *[.!?]) ;;
  *) sentence=$sentence. ;;
  esac
}

# strip TEXT: sets `stripped` to TEXT without leading or trailing whitespace.
strip() {
  stripped=${1#"${1%%[![:space:]]*}"}
  stripped=${stripped%"${stripped##*[![:space:]]}"}
}

# awk_text MODE TEXT: what JSON_AWK prints for TEXT in mode quote or repr.
awk_text() {
  OTR_TEXT=$2 awk -v mode="$1" "$JSON_AWK"
}

# -- inputs -------------------------------------------------------------------------------------------------

required() {
  strip "$2"
  [ -n "$stripped" ] || fail "$EXIT_BAD_INPUT" "$1 is not set: the waiter of an OpenAI run needs it."
}

header_value() {
  strip "$2"
  case $stripped in
  *[[:cntrl:]]*) fail "$EXIT_BAD_INPUT" "$1 must be one line without control characters." ;;
  esac
}

read_inputs() {
  required OTR_THREAD_ID "${OTR_THREAD_ID-}"
  thread_id=$stripped
  required OTR_RUN_ID "${OTR_RUN_ID-}"
  run_id=$stripped
  strip "${OTR_TIMEOUT_SECONDS-}"
  case $stripped in
  '' | *[!0-9]*) timeout=0 ;;
  *) timeout=${stripped#"${stripped%%[!0]*}"} ;;
  esac
  if [ "${#timeout}" -gt 9 ]; then timeout=999999999; fi # longer than sh arithmetic needs to count
  if [ "${timeout:-0}" -le 0 ]; then
    fail "$EXIT_BAD_INPUT" "OTR_TIMEOUT_SECONDS must be a positive whole number of seconds, not $(awk_text repr "${OTR_TIMEOUT_SECONDS-}")."
  fi
  header_value OPENAI_API_KEY "${OPENAI_API_KEY-}"
  key=$stripped
  if [ -z "$key" ]; then
    fail "$EXIT_BAD_INPUT" "OPENAI_API_KEY is not set: the waiter needs the provider's API key to check run $run_id on thread $thread_id."
  fi
  strip "${OPENAI_API_URL-}"
  api_url=${stripped:-$DEFAULT_API_URL}
  case $api_url in
  [Hh][Tt][Tt][Pp]:* | [Hh][Tt][Tt][Pp][Ss]:*) ;;
  *) fail "$EXIT_BAD_INPUT" "OPENAI_API_URL must be an http(s) URL, not $(awk_text repr "$api_url")." ;;
  esac
  while :; do
    case $api_url in
    */) api_url=${api_url%/} ;;
    *) break ;;
    esac
  done
  url=$api_url/threads/$(awk_text quote "$thread_id")/runs/$(awk_text quote "$run_id")
  header_value OPENAI_ORGANIZATION "${OPENAI_ORGANIZATION-}"
  organization=$stripped
  where="OpenAI run $run_id on thread $thread_id"
}

# -- tools --------------------------------------------------------------------------------------------------

gnu_wget() {
  case $(wget --version 2>/dev/null) in
  "GNU Wget 1."*) return 0 ;;
  *) return 1 ;;
  esac
}

find_tools() {
  if command -v curl >/dev/null 2>&1; then
    client=curl
  elif command -v wget >/dev/null 2>&1 && gnu_wget; then
    client=wget
  elif [ "${OTR_WAITER-}" = auto ]; then
    fail "$EXIT_BAD_INPUT" "$NO_CLIENT_NOR_PYTHON"
  else
    fail "$EXIT_BAD_INPUT" "$NO_CLIENT"
  fi
  missing=
  for tool in $NEEDS; do
    if ! command -v "$tool" >/dev/null 2>&1; then missing=${missing:+$missing, }$tool; fi
  done
  if [ -n "$missing" ]; then
    fail "$EXIT_BAD_INPUT" "$MISSING_TOOLS $missing. $CHECKED_AGAIN"
  fi
  if sleep 0.01 2>/dev/null; then fractional_sleep=yes; else fractional_sleep=; fi
}

# Double quotes and backslashes escaped, as a quoted value of curl's config file wants them.
curl_quoted() {
  curl_quoted=
  rest=$1
  while :; do
    case $rest in
    *[\"\\]*)
      head=${rest%%[\"\\]*}
      rest=${rest#"$head"}
      curl_quoted=$curl_quoted$head\\${rest%"${rest#?}"}
      rest=${rest#?}
      ;;
    *) break ;;
    esac
  done
  curl_quoted=$curl_quoted$rest
}

# The request's settings, written once: curl reads them from standard input, wget from a file only we can read.
prepare_request() {
  if [ "$client" = curl ]; then
    curl_quoted "$url"
    request="url = \"$curl_quoted\""
    curl_quoted "Authorization: Bearer $key"
    request="$request
header = \"$curl_quoted\"
header = \"OpenAI-Beta: assistants=v2\"
header = \"Accept: application/json\"
user-agent = \"$USER_AGENT (sh; curl)\""
    if [ -n "$organization" ]; then
      curl_quoted "OpenAI-Organization: $organization"
      request="$request
header = \"$curl_quoted\""
    fi
  else
    {
      printf 'header = Authorization: Bearer %s\n' "$key"
      printf 'header = %s\n' "OpenAI-Beta: assistants=v2" "Accept: application/json"
      if [ -n "$organization" ]; then printf 'header = OpenAI-Organization: %s\n' "$organization"; fi
    } >"$work/wgetrc"
  fi
}

# -- polling ------------------------------------------------------------------------------------------------

# now: sets `now` to a clock in hundredths of a second (the uptime on Linux, else the time of day).
now() {
  if [ -r /proc/uptime ] && read -r uptime _ </proc/uptime; then
    now=$((${uptime%.*} * 100 + 1${uptime#*.} - 100))
  else
    now=$(($(date +%s) * 100))
  fi
}

# seconds MS: sets `seconds` to MS milliseconds written in seconds (1.300).
seconds() {
  fraction=$(($1 % 1000 + 1000))
  seconds=$(($1 / 1000)).${fraction#1}
}

# nap MS: sleep MS milliseconds (whole seconds, rounded up, where sleep takes no fractions).
nap() {
  if [ -n "$fractional_sleep" ]; then
    seconds "$1"
    sleep "$seconds"
  else
    sleep $((($1 + 999) / 1000))
  fi
}

# read_awk MODE FILE [VAR=VALUE]: run JSON_AWK on FILE and set what it prints.
read_awk() {
  mode=$1
  file=$2
  shift 2
  eval "$(awk -v mode="$mode" "$@" "$JSON_AWK" "$file")"
}

# poll MS: GET the run once, waiting at most MS milliseconds. Sets `outcome`: `run` (run_status and the details
# of the run are set), `retry` (`problem` and `retry_after_ms`), or `refused` (`refusal`: "<status>: <message>").
poll() {
  rm -f "$work/body" "$work/head" "$work/log"
  seconds "$1"
  http_status='' http_reason='' retry_after_ms=0 client_problem='' api_message=''
  run_ok='' run_status='' error_code='' error_message='' incomplete_reason='' tool_calls=''
  if [ "$client" = curl ]; then
    status=0
    curl -q -sS --http1.1 -L --max-redirs 10 --max-time "$seconds" -o "$work/body" -D "$work/head" -K - \
      2>"$work/log" <<REQUEST || status=$?
$request
REQUEST
    if [ "$status" != 0 ]; then
      problem=
      while IFS= read -r line || [ -n "$line" ]; do [ -z "$line" ] || problem=$line; done <"$work/log"
      outcome=retry problem=${problem:-curl exited with status $status}
      return
    fi
    read_awk headers "$work/head" -v client=curl
  else
    status=0
    wget --config="$work/wgetrc" --no-hsts -nv -S --content-on-error --tries=1 --max-redirect=10 \
      --timeout="$seconds" -U "$USER_AGENT (sh; wget)" -O "$work/body" "$url" 2>"$work/log" || status=$?
    read_awk headers "$work/log" -v client=wget
    if [ -z "$http_status" ]; then
      outcome=retry problem="wget: ${client_problem:-exited with status $status}"
      return
    fi
  fi
  case $http_status in
  2??)
    retry_after_ms=0 # Retry-After counts on 429 and 5xx answers only, as in waiter.py
    read_awk run "$work/body"
    if [ -n "$run_ok" ]; then outcome=run; else outcome=retry problem="the answer is not a run object"; fi
    return
    ;;
  esac
  if [ -f "$work/body" ]; then read_awk error "$work/body"; fi
  message=${api_message:-$http_reason}
  case $http_status in
  429 | 5?? | [6-9]??) outcome=retry problem="HTTP $http_status: $message" ;;
  *) outcome=refused refusal="$http_status: $message" ;;
  esac
}

# The message of a run that ended other than completed: its status, the details, and what to do.
ended() {
  case $run_status in
  requires_action)
    sentence "$where is waiting for the outputs of the tool calls ${tool_calls:-(none listed)}"
    ended="$sentence $CANNOT_ANSWER_TOOLS $RUN_STAYS"
    return
    ;;
  failed) details=": last_error $error_code: $error_message" ;;
  incomplete) details=": incomplete_details.reason is $incomplete_reason" ;;
  *) details= ;;
  esac
  sentence "$where ended with status $run_status$details"
  ended="$sentence $RUN_STAYS"
}

wait_for_run() {
  now
  started=$now
  deadline=$((started + timeout * 100))
  delay=$FIRST_DELAY_MS
  polls=0
  last_status="none seen"
  problem=
  while :; do
    polls=$((polls + 1))
    now
    limit=$(((deadline - now) * 10))
    if [ "$limit" -lt "$MIN_REQUEST_TIMEOUT_MS" ]; then limit=$MIN_REQUEST_TIMEOUT_MS; fi
    if [ "$limit" -gt "$REQUEST_TIMEOUT_MS" ]; then limit=$REQUEST_TIMEOUT_MS; fi
    poll "$limit"
    case $outcome in
    refused)
      sentence "$where: the OpenAI API answered HTTP $refusal"
      fail "$EXIT_FAILED" "$sentence $CHECKED_AGAIN"
      ;;
    run)
      last_status=$run_status problem=
      case $run_status in
      completed)
        now
        tenths=$(((now - started + 5) / 10))
        if [ "$polls" = 1 ]; then counted="1 poll"; else counted="$polls polls"; fi
        say 1 "$where completed after $((tenths / 10)).$((tenths % 10)) s and $counted."
        exit "$EXIT_COMPLETED"
        ;;
      failed | cancelled | expired | incomplete | requires_action)
        ended
        fail "$EXIT_FAILED" "$ended"
        ;;
      esac
      ;;
    esac
    now
    left=$(((deadline - now) * 10))
    if [ "$left" -le 0 ]; then
      fail "$EXIT_FAILED" "Timed out after $timeout s waiting for $where (last status: $last_status${problem:+; last error: $problem}).$STILL_RUNNING"
    fi
    pause=$delay
    if [ "$retry_after_ms" -gt "$pause" ]; then pause=$retry_after_ms; fi
    if [ "$left" -lt "$pause" ]; then pause=$left; fi
    nap "$pause"
    delay=$((delay * DELAY_FACTOR_PERCENT / 100))
    if [ "$delay" -gt "$MAX_DELAY_MS" ]; then delay=$MAX_DELAY_MS; fi
  done
}

# -- main ---------------------------------------------------------------------------------------------------

if [ "${OTR_WAITER-}" = auto ] && [ -n "${OTR_WAITER_PYTHON-}" ] && command -v python3 >/dev/null 2>&1 &&
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 9))' >/dev/null 2>&1; then
  exec python3 -c "$OTR_WAITER_PYTHON" "$0"
fi
LC_ALL=C # bytes in, bytes out: awk copies text byte for byte, whatever the locale
export LC_ALL
umask 077
find_tools
read_inputs
work=$(mktemp -d) || fail "$EXIT_FAILED" "The waiter of $where could not create a temporary folder (mktemp -d). $CHECKED_AGAIN"
trap 'rm -rf "$work"' EXIT
trap 'exit "$EXIT_FAILED"' HUP INT TERM
prepare_request
wait_for_run
