curl -H 'Authorization: Bearer abc.def' -H 'X-Api-Key: k1' http://127.0.0.1:8080/secrets
curl -X DELETE "http://127.0.0.1:8080/items/7" \
  -H "Accept: application/json"
curl -g 'http://127.0.0.1:8080/brackets?a[]=1'
curl -H 'Authorization: Basic Ym9iOnB3' http://127.0.0.1:8080/basic-header
curl --form-string 'note=@not-a-file' -F 'n=2' http://127.0.0.1:8080/formstring
curl -X OPTIONS http://127.0.0.1:8080/options
curl -b a=1 http://127.0.0.1:8080/multi1 http://127.0.0.1:8080/multi2
curl http://127.0.0.1:8080/next1 -d x=1 --next -X DELETE http://127.0.0.1:8080/next2
curl -T upload.txt -H 'Content-Type: text/plain' http://127.0.0.1:8080/up/
curl -r 0-99 -z 'Wed, 21 Oct 2015 07:28:00 GMT' -e 'https://ref.test/;auto' --url-query '+q=a%20b' http://127.0.0.1:8080/misc
curl http://ada:s%40cret@127.0.0.1:8080/userinfo
curl -H 'Cookie: a=1' -b b=2 http://127.0.0.1:8080/cookie-precedence
curl --max-filesize 100K http://127.0.0.1:8080/max-filesize
curl -d x http://127.0.0.1:8080/semicolon; true
curl -H "Authorization: Bearer $E2E_TOKEN" http://127.0.0.1:8080/from-env
curl -F a=1 -H 'Content-Type: multipart/form-data' http://127.0.0.1:8080/multipart-type
curl -H 'NoColonHeader' -H 'X-Kept: 1' http://127.0.0.1:8080/no-colon
curl --data-binary "" http://127.0.0.1:8080/empty-body
curl -b 'a=1;b=2' http://127.0.0.1:8080/cookie-as-written
curl -C 5 http://127.0.0.1:8080/resume
curl -T upload.txt -H 'Content-Type: text/plain' http://127.0.0.1:8080
