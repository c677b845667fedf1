package mockserver_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/autosync/autosync/mockserver"
)

// ExampleRoute routes a client into a reference server in the same process:
// no socket, and a transport of the client's own.
func ExampleRoute() {
	client := &http.Client{}
	mockserver.Route(client, mockserver.New(
		mockserver.WithAcademicLevels("7", "8"),
		mockserver.WithAdmin("sync", "s3cret"), // replaces the default admin
	))

	csv := []byte("username,enabled,staffmember,academiclevel\njane,Y,N,7\njohn,Y,N,13\n")
	req, err := mockserver.NewImportRequest(context.Background(), "https://school.example/api/import/users", "users.csv", csv)
	if err != nil {
		fmt.Println(err)
		return
	}
	req.SetBasicAuth("sync", "s3cret")
	resp, err := client.Do(req) // answered in process
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode)
	fmt.Println(string(answer))
	// Output:
	// 200
	// {"success":false,"summary":"2 users processed. 1 user created. 0 users updated. 1 user failed.","details":{"1":"User Created","2":"Field (academicLevel) value '13' is not a declared academic level. User failed to import: Field (academicLevel) value '13' is not a declared academic level. "}}
}
