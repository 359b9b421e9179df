#!/bin/sh
set -e
TOKEN=abc
curl -s -H "Authorization: Bearer $TOKEN" \
  'https://api.example.com/items?page=2' | jq .
echo done
curl --digest -u ada:pw -X POST https://api.example.com/d --data-raw $'line\n2'
