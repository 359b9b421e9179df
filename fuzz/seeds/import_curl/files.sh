curl -d @data.txt -H @headers.txt --data-urlencode msg@data.txt -F 'f=<data.txt' -F 'up=@binary.bin;type=application/octet-stream' --json @body.json https://api.example.com/x
