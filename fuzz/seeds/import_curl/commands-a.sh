curl http://127.0.0.1:8080/plain
curl -X PUT http://127.0.0.1:8080/put -H 'Content-Type: application/json' -d '{"a":1}'
curl 'http://127.0.0.1:8080/q?x=1&y=a%20b&flag' -H 'X-Empty;' -H 'X-Two: 2'
curl -d a=1 --data 'b=2 3' --data-raw @literal http://127.0.0.1:8080/form
curl --data-ascii x=1 --data-binary 'raw bytes' http://127.0.0.1:8080/ascii
curl --data-urlencode 'name=a b&c' --data-urlencode '=just text' --data-urlencode plain http://127.0.0.1:8080/enc
curl --data-urlencode msg@note.txt --data-urlencode @note.txt http://127.0.0.1:8080/encfile
curl -d @body.txt http://127.0.0.1:8080/dfile
curl --data-binary @body.txt http://127.0.0.1:8080/binfile
curl --json '{"j":true}' http://127.0.0.1:8080/json
curl -F a=1 -F 'file=@note.txt' -F 'typed=@data.csv;type=text/csv' -F 'inline=<inline.txt' http://127.0.0.1:8080/multi
curl -G -d q=rust -d page=2 http://127.0.0.1:8080/search
curl -u ada:lovelace http://127.0.0.1:8080/basic
curl --oauth2-bearer tok-123 http://127.0.0.1:8080/bearer
curl -b 'session=abc; theme=dark' http://127.0.0.1:8080/cookie
curl -A 'my-agent/1.0' -e https://ref.test/ http://127.0.0.1:8080/agent
curl -I http://127.0.0.1:8080/head
curl --url http://127.0.0.1:8080/url --url-query 'a=b c' --url-query plain
curl -sSL --max-redirs 3 -m 5 --connect-timeout 2 --retry 1 --compressed -k http://127.0.0.1:8080/settings
curl -X PATCH http://127.0.0.1:8080/patch -H @headers.txt --data-raw '{"p": "q"}'
curl $'http://127.0.0.1:8080/ansi' -H $'X-Quote: it\'s \xe2\x9c\x93'