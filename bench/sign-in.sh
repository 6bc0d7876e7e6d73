# Sourced by the HTTP harnesses: signs in through the app's sign-in form as a browser does, keeping the cookies in a
# curl cookie jar. Needs BASE, USER_NAME and PASSWORD set.
#   sign_in JAR        the jar then holds a freshly issued sign-in cookie (exits on a failed sign-in)
#   cookie_header JAR  the jar's cookies as a Cookie header's value (for wrk, which keeps no jar)
sign_in() {
  local jar=$1 token status
  : >"$jar"
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/account/login" | grep -o '__RequestVerificationToken" value="[^"]*' | tail -1 | sed 's/.*value="//')
  status=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -X POST "$BASE/account/login" \
    --data-urlencode "_handler=login" --data-urlencode "Input.UserName=$USER_NAME" --data-urlencode "Input.Password=$PASSWORD" \
    --data-urlencode "__RequestVerificationToken=$token")
  [ "$status" = 302 ] || { echo "sign-in as $USER_NAME failed (HTTP $status)" >&2; exit 1; }
}

cookie_header() {
  awk '$0 !~ /^#/ || /^#HttpOnly_/ { sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s=%s; ", $6, $7 }' "$1"
}
