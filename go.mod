module github.com/autosync/autosync

go 1.26.0

require (
	github.com/jarcoal/httpmock v1.4.2
	github.com/stretchr/testify v1.12.1
	golang.org/x/crypto v0.58.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
