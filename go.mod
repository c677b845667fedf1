module github.com/autosync/autosync

go 1.26.8

require (
	github.com/jarcoal/httpmock v1.4.2
	golang.org/x/crypto v0.58.0
)
