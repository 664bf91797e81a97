#!/bin/sh
# Runs as PID 1 of a private PID + mount namespace: a real sssd (Debian sssd-ldap) against the test
# slapd, with its own config, caches and sockets on tmpfs (so nothing leaks from or into the host's
# sssd, and no cache survives), then runs the NSS queries given as arguments through it.
# Usage: sssd-ns.sh PORT CA SCHEMA 'getent passwd alice' ...
set -eu
PORT=$1 CA=$2 SCHEMA=$3; shift 3
mount -t tmpfs tmpfs /var/lib/sss
mkdir -p /var/lib/sss/db /var/lib/sss/mc /var/lib/sss/pipes/private /var/lib/sss/pubconf /var/lib/sss/gpo_cache
chmod 700 /var/lib/sss/pipes/private
mount -t tmpfs tmpfs /etc/sssd
mount -t tmpfs tmpfs /run
cat > /etc/sssd/sssd.conf <<CONF
[sssd]
services = nss
domains = example
[nss]
filter_users = root
filter_groups = root
[domain/example]
id_provider = ldap
ldap_schema = $SCHEMA
ldap_uri = ldap://127.0.0.1:$PORT
ldap_search_base = dc=example,dc=org
ldap_default_bind_dn = cn=svc-reader,dc=example,dc=org
ldap_default_authtok = readerpw
ldap_id_use_start_tls = true
ldap_tls_reqcert = demand
ldap_tls_cacert = $CA
enumerate = false
cache_credentials = false
CONF
chmod 600 /etc/sssd/sssd.conf
# files first: sssd itself looks up its service user
printf 'passwd: files sss\ngroup: files sss\n' > /run/nsswitch.conf
mount --bind /run/nsswitch.conf /etc/nsswitch.conf
sssd -i --logger=stderr -d 0 &
i=0
until getent passwd alice >/dev/null 2>&1; do
  i=$((i + 1)); [ $i -gt 200 ] && { echo "sssd did not resolve alice" >&2; exit 1; }; sleep 0.05
done
for q in "$@"; do sh -c "$q" || echo "($q: exit $?)"; done
kill %1; wait || true
