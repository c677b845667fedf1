Feature: CSV format and dialect
  The first row is the header. Quoting follows RFC 4180; what Excel and other tools
  write must work, and a broken file must be refused whole.

  @R-CSV-2 @documented
  Scenario: Every recognised column is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,givenname,surname,middlename,preferredname,emailaddress,graduationyear,academiclevel,librarybarcode,adminsystemid,gender,password,formclass,presentationgrouplabel
      {user:ann},Y,N,{given},{surname},{given},{given},{email:ann},{year},{level},{barcode:ann},{adminid:ann},F,{password},7A,{group}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-3 @documented
  Scenario: A file without a username column is rejected as a whole
    Given a CSV file:
      """
      user,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Missing mandatory column (username)."}
      """

  @R-CSV-4 @decided
  Scenario: Header names match whatever their letter case and surrounding spaces
    Given a CSV file:
      """
       UserName , ENABLED,StaffMember,GraduationYear
      {user:ann},Y,N,{year}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-4 @decided
  Scenario: A byte-order mark before the header is skipped
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    And the file starts with a byte-order mark
    When I upload the file
    Then the import succeeds

  @R-CSV-4 @decided
  Scenario: Unknown columns are ignored
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,nickname,house
      {user:ann},Y,N,{year},Annie,Kauri
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-4 @decided
  Scenario: A column named twice rejects the file
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress,EmailAddress
      {user:ann},Y,N,{year},{email:ann},{email:ann}
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Duplicate column (emailaddress)."}
      """
    And patron "{user:ann}" does not exist

  @R-CSV-5 @decided
  Scenario: Quoted commas and quotes, Windows line endings and padded cells all work
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,preferredname,surname
      "{user:ann}",Y,N,{year},"Ann, the ""A""", O'Neil 
        {user:bob} ,  y , n ,{year},,Te Whata
      """
    And the file has Windows line endings
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

  @R-CSV-5 @decided
  Scenario: Empty and blank lines are skipped and get no row number
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:ann},Y,N,{year},{email:ann}

         
      {user:bob},Y,N,{year},not-an-address
      """
    When I upload the file
    Then the status is 200
    And the details are:
      | row | outcome      |
      | 1   | User Created |
      | 2   | fails        |

  @R-CSV-6 @decided
  Scenario: A file with a stray quote is rejected whole and the line is named
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      {user:bob}"s,Y,N,{year}
      """
    When I upload the file
    Then the status is 400
    And success is false
    And the summary starts with "CSV syntax error on line 3: "
    And patron "{user:ann}" does not exist

  @R-CSV-6 @decided
  Scenario: An unclosed quote names the line it opens on
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,preferredname
      {user:ann},Y,N,{year},"Annie
      {user:bob},Y,N,{year},Bobby
      """
    When I upload the file
    Then the status is 400
    And the summary starts with "CSV syntax error on line 2: "
    And patron "{user:bob}" does not exist

  @R-CSV-6 @decided
  Scenario: Lines that end in a lone carriage return reject the file
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      {user:bob},Y,N,{year}
      """
    And the file has old Macintosh line endings
    When I upload the file
    Then the status is 400
    And success is false
    And the summary starts with "CSV syntax error on line 1: "
    And patron "{user:ann}" does not exist

  @R-CSV-7 @decided
  Scenario: A row with the wrong number of fields fails alone
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N
      {user:bob},Y,N,{year},extra
      {user:cat},Y,N,{year}
      """
    When I upload the file
    Then the status is 200
    And row 1 fails with "Row has 3 fields but the header has 4."
    And row 2 fails with "Row has 5 fields but the header has 4."
    And row 3 is "User Created"

  @R-CSV-7 @decided
  Scenario: A row that is not valid UTF-8 fails alone
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname
      {user:rene},Y,N,{year},René
      """
    And the file is saved as Windows-1252
    And the file gets one more row in UTF-8:
      """
      {user:zoe},Y,N,{year},Zoë
      """
    When I upload the file
    Then the status is 200
    And row 1 fails with "Row is not valid UTF-8; save the file as UTF-8."
    And row 2 is "User Created"

  @R-CSV-8 @documented
  Scenario: Rows are numbered from 1, the first record after the header
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:ann},Y,N,{year},{email:ann}
      {user:bob},Y,N,{year},bob.example.edu
      {user:cat},Y,N,{year},{email:cat}
      """
    When I upload the file
    Then the details are:
      | row | outcome      |
      | 1   | User Created |
      | 2   | fails        |
      | 3   | User Created |

  @R-CSV-8 @documented
  Scenario: A quoted line break does not start a new row number
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress,preferredname
      {user:ann},Y,N,{year},ann.example.edu,"Ann
      Two Lines"
      {user:bob},Y,N,{year},{email:bob},Bob
      {user:cat},Y,N,{year},{email:cat},Cat
      ,Y,N,{year},,Nobody
      """
    When I upload the file
    Then the details are:
      | row | outcome      |
      | 1   | fails        |
      | 2   | User Created |
      | 3   | User Created |
      | 4   | fails        |
