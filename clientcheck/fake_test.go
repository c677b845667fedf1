package clientcheck

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run this test binary as a school's import command:
// with CLIENTCHECK_FAKE set it is fakeClient, which does what the value
// says.
func TestMain(m *testing.M) {
	if how := os.Getenv("CLIENTCHECK_FAKE"); how != "" {
		os.Exit(fakeClient(how))
	}
	os.Exit(m.Run())
}

// fakeClient posts $AUTOSYNC_FILE to $AUTOSYNC_URL as a careful script
// does (a multipart file part, Basic Auth, {cacert} trusted, a time limit
// of $CLIENTCHECK_FAKE_TIMEOUT if set, no redirect followed, one retry a second after a 5xx or a
// connection error, exit 0 only for 200 with success true), except for
// the faults how names, comma-separated.
func fakeClient(how string) int {
	faults := map[string]bool{}
	for _, f := range strings.Split(how, ",") {
		faults[f] = true
	}
	env := os.Getenv
	file, err := os.ReadFile(env("AUTOSYNC_FILE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if faults["crlf-to-lf"] {
		file = bytes.ReplaceAll(file, []byte("\r\n"), []byte("\n"))
	}
	pool := x509.NewCertPool()
	pem, _ := os.ReadFile(env("AUTOSYNC_CACERT"))
	pool.AppendCertsFromPEM(pem)
	client := &http.Client{
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, InsecureSkipVerify: faults["insecure"]}},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if faults["follow"] {
				req.SetBasicAuth(env("AUTOSYNC_USERNAME"), env("AUTOSYNC_PASSWORD"))
				return nil
			}
			return http.ErrUseLastResponse
		},
	}
	if d, err := time.ParseDuration(env("CLIENTCHECK_FAKE_TIMEOUT")); err == nil {
		client.Timeout = d
	}
	if faults["no-timeout"] {
		client.Timeout = 0
	}
	if faults["print-password"] {
		fmt.Printf("sending to %s as %s:%s\n", env("AUTOSYNC_URL"), env("AUTOSYNC_USERNAME"), env("AUTOSYNC_PASSWORD"))
	}
	post := func() (int, []byte, error) {
		var body bytes.Buffer
		contentType := "text/csv"
		if faults["whole-body"] {
			body.Write(file)
		} else {
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "users.csv")
			fw.Write(file)
			mw.Close()
			contentType = mw.FormDataContentType()
		}
		req, _ := http.NewRequest(http.MethodPost, env("AUTOSYNC_URL")+"/api/import/users", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", contentType)
		req.SetBasicAuth(env("AUTOSYNC_USERNAME"), env("AUTOSYNC_PASSWORD"))
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	status, answer, err := post()
	switch {
	case faults["retry-4xx"]:
		for i := 0; i < 3 && err == nil && status >= 400 && status < 500; i++ {
			status, answer, err = post()
		}
	case err != nil || status >= 500:
		time.Sleep(time.Second)
		status, answer, err = post()
	}
	fmt.Printf("%d %s\n", status, answer)
	var a struct{ Success bool }
	switch {
	case faults["exit0"]:
		return 0
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		return 1
	case status != 200 || json.Unmarshal(answer, &a) != nil || !a.Success:
		return 1
	}
	return 0
}
