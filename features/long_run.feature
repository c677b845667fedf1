Feature: The long run
  Files past 10,000 and past 65,536 rows, sequences of imports in which
  columns come and go and identifiers move between patrons and between
  columns, and every refusal with an empty file as well as a full one. The
  longest files are tagged @heavy: a run leaves them out unless its tag
  expression names @heavy (autosync verify --tags @heavy).

  @R-RES-2 @documented @heavy
  Scenario: A file of 10,001 rows is counted whole
    Given 10001 new students in a CSV file
    When I upload the file
    Then the summary is "10001 users processed. 10001 users created. 0 users updated. 0 users failed."

  @R-RES-2 @documented @heavy
  Scenario: A file of 65,537 rows is counted whole
    Given 65537 new students in a CSV file
    When I upload the file
    Then the summary is "65537 users processed. 65537 users created. 0 users updated. 0 users failed."

  @R-CSV-8 @documented @heavy
  Scenario: Every row of a file of 10,001 rows is numbered and answered
    Given 10001 new students in a CSV file, the last with the year "1899"
    When I upload the file
    Then the summary is "10001 users processed. 10000 users created. 0 users updated. 1 user failed."
    And rows 1 to 10001 are "User Created" but row 10001
    And row 10001 fails with "Field (graduationYear) is not a four-digit year."

  @R-CSV-8 @documented @heavy
  Scenario: Every row of a file of 65,537 rows is numbered and answered
    Given 65537 new students in a CSV file, the last with the year "1899"
    When I upload the file, reading up to 4 MiB of the answer
    Then the summary is "65537 users processed. 65536 users created. 0 users updated. 1 user failed."
    And rows 1 to 65537 are "User Created" but row 65537
    And row 65537 fails with "Field (graduationYear) is not a four-digit year."

  @R-CSV-2 @documented
  Scenario Outline: A column left out of the second import and sent in the third is read: <column>
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,<column>
      {user:ann},Y,N,{year},<kept>
      """
    And a CSV file:
      """
      username,enabled
      {user:ann},Y
      """
    When I upload the file
    Then row 1 is "User Updated"
    Given a CSV file:
      """
      username,enabled,<column>
      {user:ann},Y,<sent>
      """
    When I upload the file
    Then row 1 fails with "<reason>"

    Examples:
      | column                 | kept        | sent               | reason                                                                                    |
      | emailaddress           | {email:ann} | ann@@example.edu   | Field (emailAddress) is not a well-formed email address.                                  |
      | gender                 | F           | X                  | Field (gender) must be M, F or blank.                                                     |
      | givenname              | Ann         | Ann{char:U+0007}   | Field (givenName) contains control characters.                                            |
      | academiclevel          | {level}     | Not-A-Level-{run}  | Field (academicLevel) value 'Not-A-Level-{run}' is not a declared academic level.         |
      | presentationgrouplabel | {group}     | No Such Group {run} | Field (presentationGroupLabel) value 'No Such Group {run}' is not a current presentation group. |

  @R-ROW-10 @documented
  Scenario: A barcode moves between patrons and into another column over four imports
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:ann},Y,N,{year},{barcode:b1},{adminid:s1}
      {user:bob},Y,N,{year},{barcode:b2},{adminid:s2}
      """
    And a CSV file:
      """
      username,librarybarcode
      {user:bob},{barcode:b3}
      {user:ann},{barcode:b2}
      """
    When I upload the file
    Then the summary is "2 users processed. 0 users created. 2 users updated. 0 users failed."
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:cat},Y,N,{year},{barcode:b1}
      {user:ann},,,,
      """
    When I upload the file
    Then the summary is "2 users processed. 1 user created. 1 user updated. 0 users failed."
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:dan},Y,N,{year},{barcode:b1},{adminid:s1}
      {user:eve},Y,N,{year},{barcode:b2},{adminid:s9}
      {user:fay},Y,N,{year},{barcode:b9},{adminid:s2}
      """
    When I upload the file
    Then row 1 fails with "Field (adminSystemId) value '{adminid:s1}' is already used by another patron."
    And row 2 fails with "Field (libraryBarcode) value '{barcode:b2}' is already used by another patron."
    And row 3 fails with "Field (adminSystemId) value '{adminid:s2}' is already used by another patron."

  @R-ROW-16 @decided
  Scenario: Columns come and go over three imports, and nothing left out is lost
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,emailaddress
      {user:ann},Y,N,{year},{barcode:b1},{email:ann}
      """
    And a CSV file:
      """
      username,formclass
      {user:ann},10A
      """
    When I upload the file
    Then row 1 is "User Updated"
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:bob},Y,N,{year},{barcode:b1}
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."

  @R-AUTH-3 @documented
  Scenario: The non-admin account is refused with an empty file too
    Given an empty CSV file
    When I upload the file as the non-admin account
    Then the status is 401
    And the summary is "Unauthorised. Check credentials."

  @R-AUTH-2 @documented
  Scenario: A wrong password is refused with an empty file too
    Given an empty CSV file
    When I upload the file with a wrong password
    Then the status is 401
    And the summary is "Unauthorised. Check credentials."

  @R-AUTH-2 @documented
  Scenario: No credentials are refused with an empty file too
    Given an empty CSV file
    When I upload the file without credentials
    Then the status is 401
    And the summary is "Unauthorised. Check credentials."

  @R-HTTP-3 @decided
  Scenario: An empty body that is not multipart is refused with 415
    Given an empty CSV file
    When I send the file as the whole body with content type "text/csv"
    Then the status is 415
    And the answer is JSON
    And success is false

  @R-HTTP-5 @decided
  Scenario: A body over the limit is refused even when its file is empty
    When I upload an empty file after a text part larger than the body limit
    Then the status is 413
    And the answer is JSON
    And success is false
