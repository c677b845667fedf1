Feature: Transport
  A school's script POSTs the CSV as a multipart file to /api/import/users.
  The first file part is the CSV; its field and file names do not matter.

  @R-HTTP-1 @documented
  Scenario: A POST of a CSV file to the import path is processed
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "1 user processed. 1 user created. 0 users updated. 0 users failed."}
      """

  @R-HTTP-2 @documented
  Scenario: The field name and the file name of the part do not matter
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file as part "upload" named "export.txt"
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-HTTP-2 @documented
  Scenario: Text fields before the file part are passed over
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file after a text field
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-HTTP-2 @documented
  Scenario: Only the first file part is read
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:first},Y,N,{year}
      """
    And a second CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:second},Y,N,{year}
      {user:third},Y,N,{year}
      """
    When I upload both files
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."
    And patron "{user:second}" does not exist

  @R-HTTP-3 @decided
  Scenario: A multipart request without a file part is refused
    When I send a multipart request without a file part
    Then the status is 400
    And the header "Content-Type" is "application/json; charset=utf-8"
    And the answer is:
      """
      {"success": false, "summary": "No CSV file found in the request. Send it as a multipart file part, e.g. curl -F \"file=@users.csv\"."}
      """

  @R-HTTP-3 @decided
  Scenario: A body that is not multipart is refused
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as the whole body with content type "text/csv"
    Then the status is 415
    And the answer is JSON
    And success is false
    And patron "{user:ann}" does not exist

  @R-HTTP-4 @decided
  Scenario Outline: <method> on the import path <credentials> is not allowed
    When I send a <method> request to the import path <credentials>
    Then the status is 405
    And the header "Allow" is "POST"
    And the answer is JSON
    And success is false

    Examples:
      | method | credentials         |
      | GET    | with credentials    |
      | GET    | without credentials |
      | PUT    | with credentials    |
      | DELETE | without credentials |
      | PATCH  | with credentials    |

  @R-HTTP-4 @decided
  Scenario: HEAD on the import path is not allowed and has no body
    When I send a HEAD request to the import path without credentials
    Then the status is 405
    And the header "Allow" is "POST"
    And the answer has no body

  @R-HTTP-4 @decided
  Scenario: An unknown path answers 404 in JSON
    When I send a POST request to "/api/import/nothing-here"
    Then the status is 404
    And the answer is JSON
    And success is false

  @R-HTTP-5 @R-HTTP-6 @decided
  Scenario: A body over the limit is refused and nothing is imported
    When I upload a file larger than the body limit, starting with patron "{user:big}"
    Then the status is 413
    And the header "Content-Type" is "application/json; charset=utf-8"
    And the answer is JSON
    And success is false
    And patron "{user:big}" does not exist

  @R-HTTP-5 @decided
  Scenario: A body of exactly the limit is imported
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:edge},Y,N,{year}
      """
    When I upload the file in a body of exactly the body limit
    Then the status is 200
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-HTTP-6 @decided
  Scenario: Refusals and errors are answered in JSON with a UTF-8 content type
    When I send a GET request to the import path without credentials
    Then the header "Content-Type" is "application/json; charset=utf-8"
    When I send a POST request to "/api/import/nothing-here"
    Then the header "Content-Type" is "application/json; charset=utf-8"
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file with a wrong password
    Then the header "Content-Type" is "application/json; charset=utf-8"
    When I upload the file
    Then the header "Content-Type" is "application/json; charset=utf-8"

  # Edges: every path, method and refusal.

  @R-HTTP-2 @documented
  Scenario Outline: A file part in field "<field>" named "<name>" is the CSV
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file as part "<field>" named "<name>"
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

    Examples:
      | field | name          |
      | users | users         |
      | csv   | Élèves 2026.CSV |
      | file  | report.xlsx   |

  @R-HTTP-2 @decided
  Scenario: A file part with an empty file name is not the file
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file after a part with an empty file name
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-HTTP-3 @R-HTTP-6 @decided
  Scenario Outline: A body sent as <type> is refused with 415 in JSON
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as the whole body with content type "<type>"
    Then the status is 415
    And the header "Content-Type" is "application/json; charset=utf-8"
    And success is false
    And patron "{user:ann}" does not exist

    Examples:
      | type                              |
      | text/csv; charset=utf-8           |
      | application/x-www-form-urlencoded |
      | application/octet-stream          |
      | multipart/mixed; boundary=abc     |

  @R-HTTP-3 @R-HTTP-6 @decided
  Scenario: A body without a content type is refused with 415 in JSON
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as the whole body without a content type
    Then the status is 415
    And the header "Content-Type" is "application/json; charset=utf-8"
    And success is false
    And patron "{user:ann}" does not exist

  @R-HTTP-4 @R-HTTP-6 @decided
  Scenario Outline: <method> on the import path <credentials> is answered 405 in JSON
    When I send a <method> request to the import path <credentials>
    Then the status is 405
    And the header "Allow" is "POST"
    And the header "Content-Type" is "application/json; charset=utf-8"
    And success is false

    Examples:
      | method  | credentials         |
      | PUT     | without credentials |
      | DELETE  | with credentials    |
      | PATCH   | without credentials |
      | OPTIONS | with credentials    |
      | OPTIONS | without credentials |

  @R-HTTP-4 @decided
  Scenario: HEAD on the import path with credentials is not allowed and has no body
    When I send a HEAD request to the import path with credentials
    Then the status is 405
    And the header "Allow" is "POST"
    And the answer has no body

  @R-HTTP-4 @R-HTTP-6 @decided
  Scenario Outline: <method> "<path>" <credentials> credentials answers 404 in JSON
    When I send a <method> request to "<path>" <credentials> credentials
    Then the status is 404
    And the header "Content-Type" is "application/json; charset=utf-8"
    And success is false

    Examples:
      | method | path                    | credentials |
      | POST   | /api/import/user        | with        |
      | POST   | /api/import/users/extra | with        |
      | POST   | /api/import             | without     |
      | GET    | /api/import/users.json  | without     |
      | DELETE | /import/users           | with        |
      | POST   | /API/IMPORT/USERS       | with        |
      | POST   | /api/Import/Users       | with        |

  @R-HTTP-6 @decided
  Scenario Outline: The answer to <what> is JSON with a UTF-8 content type
    Given a CSV file:
      """
      <header>
      {user:ann},Y,N,{year}
      """
    When I <request>
    Then the status is <status>
    And the header "Content-Type" is "application/json; charset=utf-8"
    And the answer is JSON

    Examples:
      | what                              | header                                              | request                                                        | status |
      | a good import                     | username,enabled,staffmember,graduationyear         | upload the file                                                | 200    |
      | an import with a failed row       | username,enabled,staffmember,graduationyear,gender  | upload the file                                                | 200    |
      | a file without a username column  | user,enabled,staffmember,graduationyear             | upload the file                                                | 400    |
      | a column named twice              | username,enabled,staffmember,Enabled                | upload the file                                                | 400    |
      | a file that is not CSV            | username,enabled,"staffmember,graduationyear        | upload the file                                                | 400    |
      | a multipart body without a file   | username,enabled,staffmember,graduationyear         | send a multipart request without a file part                   | 400    |
      | a body that is not multipart      | username,enabled,staffmember,graduationyear         | send the file as the whole body with content type "text/csv"   | 415    |
      | missing credentials               | username,enabled,staffmember,graduationyear         | upload the file without credentials                            | 401    |
      | the non-admin account             | username,enabled,staffmember,graduationyear         | upload the file as the non-admin account                       | 401    |
      | a GET with credentials            | username,enabled,staffmember,graduationyear         | send a GET request to the import path with credentials         | 405    |
