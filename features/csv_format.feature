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

  @R-CSV-5 @decided
  Scenario: A line of commas alone is a row of blank cells, not a blank line
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      ,,,
      {user:bob},Y,N,{year}
      """
    When I upload the file
    Then the summary is "3 users processed. 2 users created. 0 users updated. 1 user failed."
    And row 2 fails with "Field (username) is mandatory."
    And row 3 is "User Created"

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

  @R-CSV-6 @decided
  Scenario: A semicolon export with every text field quoted is a syntax error on its header line
    Given a CSV file:
      """
      "username";"enabled";"staffmember";"graduationyear"
      "{user:ann}";"Y";"N";{year}
      """
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

  # Edges: header spellings, dialects in combination, syntax errors on every
  # kind of line, rows of the wrong width.

  @R-CSV-2 @documented @inspect
  Scenario: Every recognised column's value is stored
    Given a CSV file:
      """
      username,enabled,staffmember,givenname,surname,middlename,preferredname,emailaddress,graduationyear,academiclevel,librarybarcode,adminsystemid,gender,password,formclass,presentationgrouplabel
      {user:ann},Y,N,Ann,Tane,Mere,Annie,{email:ann},{year},{level},{barcode:ann},{adminid:ann},F,{password},7A,{group}
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:ann}" with:
      | field                  | value         |
      | username               | {user:ann}    |
      | enabled                | true          |
      | staffmember            | false         |
      | givenname              | Ann           |
      | surname                | Tane          |
      | middlename             | Mere          |
      | preferredname          | Annie         |
      | emailaddress           | {email:ann}   |
      | graduationyear         | {year}        |
      | academiclevel          | {level}       |
      | librarybarcode         | {barcode:ann} |
      | adminsystemid          | {adminid:ann} |
      | gender                 | F             |
      | formclass              | 7A            |
      | presentationgrouplabel | {group}       |

  @R-CSV-2 @documented
  Scenario: Columns may come in any order
    Given a CSV file:
      """
      graduationyear,staffmember,emailaddress,enabled,username
      {year},N,{email:ann},Y,{user:ann}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-3 @documented
  Scenario Outline: A header of "<header>" has no username column and is rejected whole
    Given a CSV file:
      """
      <header>
      {user:ann},Y,N,{year}
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Missing mandatory column (username)."}
      """
    And patron "{user:ann}" does not exist

    Examples:
      | header                                        |
      | usernames,enabled,staffmember,graduationyear  |
      | user name,enabled,staffmember,graduationyear  |
      | login,enabled,staffmember,graduationyear      |

  @R-CSV-3 @documented
  Scenario: A header alone without a username column is rejected
    Given a CSV file:
      """
      enabled,staffmember,graduationyear
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Missing mandatory column (username)."}
      """

  @R-CSV-3 @decided
  Scenario: A file separated by semicolons is refused with a summary that begins with the missing column
    Given a CSV file:
      """
      username;enabled;staffmember;graduationyear
      {user:ann};Y;N;{year}
      """
    When I upload the file
    Then the status is 400
    And success is false
    And the summary starts with "Missing mandatory column (username)."
    And patron "{user:ann}" does not exist

  @R-CSV-4 @decided
  Scenario Outline: The header name <name> is the username column
    Given a CSV file:
      """
      <name>,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

    Examples:
      | name           |
      | USERNAME       |
      | "username"     |
      | " UserName "   |
      | {tab}username  |
      | {char:U+00A0}username{char:U+00A0} |
      | {char:U+3000}Username |

  @R-CSV-4 @decided
  Scenario: A byte-order mark before a header that does not start with username is skipped
    Given a CSV file:
      """
      enabled,username,staffmember,graduationyear
      Y,{user:ann},N,{year}
      """
    And the file starts with a byte-order mark
    And the file has Windows line endings
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-4 @decided
  Scenario Outline: The header "<header>" names a column twice and rejects the file
    Given a CSV file:
      """
      <header>
      {user:ann},Y,N,{year},x
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Duplicate column (<column>)."}
      """
    And patron "{user:ann}" does not exist

    Examples:
      | header                                                | column    |
      | username,enabled,staffmember,formclass, FORMCLASS     | formclass |
      | username,enabled,staffmember,graduationyear,UserName  | username  |

  @R-CSV-4 @decided
  Scenario: A header without username that names a column twice is refused for the missing username first
    Given a CSV file:
      """
      login,enabled,staffmember,graduationyear,Enabled
      {user:ann},Y,N,{year},Y
      """
    When I upload the file
    Then the status is 400
    And the answer is:
      """
      {"success": false, "summary": "Missing mandatory column (username)."}
      """
    And patron "{user:ann}" does not exist

  @R-CSV-4 @decided
  Scenario: Unknown and empty column names are ignored, whatever their cells hold
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,enable,notes,notes,,
      {user:ann},Y,N,{year},maybe,a{tab}b,x,,
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-5 @decided
  Scenario Outline: Cells padded with <space> are trimmed
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      <pad>{user:ann}<pad>,<pad>Y<pad>,<pad>N<pad>,<pad>{year}<pad>,<pad>{barcode:b1}<pad>
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:bob},Y,N,{year},{barcode:b1}
      {user:ann},Y,N,{year},
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."
    And row 2 is "User Updated"

    Examples:
      | space                 | pad          |
      | tabs                  | {tab}        |
      | no-break spaces       | {char:U+00A0} |
      | ideographic spaces    | {char:U+3000} |
      | tabs and spaces       | {tab} {tab}  |

  @R-CSV-5 @decided
  Scenario Outline: Blank lines before the header and between rows, <how>, get no row number
    Given a CSV file:
      """


      username,enabled,staffmember,graduationyear,gender
      {user:ann},Y,N,{year},

      {tab} {tab}
      {user:bob},Y,N,{year},Q

      {user:cat},Y,N,{year},
      """
    And <dialect>
    When I upload the file
    Then the status is 200
    And the summary is "3 users processed. 2 users created. 0 users updated. 1 user failed."
    And the details are:
      | row | outcome      |
      | 1   | User Created |
      | 2   | fails        |
      | 3   | User Created |

    Examples:
      | how                       | dialect                                            |
      | with Windows line endings | the file has Windows line endings                  |
      | with mixed line endings   | the file has Windows line endings on every other line |
      | without a final line break | the file has no line break at the end             |
      | after a byte-order mark    | the file starts with a byte-order mark             |

  @R-CSV-5 @decided
  Scenario Outline: The last row is read without a final line break, <how>
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      {user:bob},Y,N,{year}
      """
    And <dialect>
    And the file has no line break at the end
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

    Examples:
      | how                       | dialect                                   |
      | with Unix line endings    | the file has no line break at the end     |
      | with Windows line endings | the file has Windows line endings         |

  @R-CSV-5 @decided
  Scenario Outline: The last row is read without a final line break when it <ends>
    Given a CSV file:
      """
      <file>
      """
    And the file has no line break at the end
    When I upload the file
    Then the status is 200
    And the summary is "<summary>"

    Examples:
      | ends                  | file                                                                                              | summary                                                                |
      | is the only row       | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}                                | 1 user processed. 1 user created. 0 users updated. 0 users failed.     |
      | ends in a quoted cell | username,enabled,staffmember,graduationyear,formclass\n{user:ann},Y,N,{year},10A\n{user:bob},Y,N,{year},"10B" | 2 users processed. 2 users created. 0 users updated. 0 users failed. |
      | fails                 | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}\n{user:bob},maybe,N,{year}     | 2 users processed. 1 user created. 0 users updated. 1 user failed.     |

  @R-CSV-5 @decided
  Scenario: A quoted Windows line break and quoted empty cells work
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,preferredname,formclass
      "{user:ann}","Y","N","{year}","",""
      {user:bob},Y,N,{year},"Bob, ""B""",10A
      """
    And the file has Windows line endings
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

  @R-CSV-6 @decided
  Scenario Outline: A syntax error <where> names its physical line and imports nothing
    Given a CSV file:
      """
      <file>
      """
    And <dialect>
    When I upload the file
    Then the status is 400
    And success is false
    And the summary starts with "CSV syntax error on line <line>: "
    And patron "{user:ann}" does not exist

    Examples:
      | where                            | file                                                                                                  | dialect                               | line |
      | after text after a closing quote | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}\n"{user:bob}"x,Y,N,{year}          | the file has Windows line endings     | 3    |
      | in the header                    | username,"enabled"x,staffmember,graduationyear\n{user:ann},Y,N,{year}                                 | the file has no line break at the end | 1    |
      | after blank lines                | \n\nusername,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}\n{user:bob},Y,N,{year}"        | the file has Windows line endings     | 5    |
      | after a quoted line break        | username,enabled,staffmember,graduationyear,preferredname\n{user:ann},Y,N,{year},"A\nB"\n{user:bob}"x,Y,N,{year},B | the file has Windows line endings | 4 |
      | at a carriage return alone       | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}{char:U+000D}{user:bob},Y,N,{year}  | the file has no line break at the end | 2    |
      | on the second line of a record   | username,enabled,staffmember,graduationyear,preferredname\n{user:ann},Y,N,{year},"A\nB"x             | the file has Windows line endings     | 3    |
      | after a space after a closing quote | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}\n"{user:bob}" ,Y,N,{year}     | the file has Windows line endings     | 3    |
      | after a space before an opening quote | username,enabled,staffmember,graduationyear\n{user:ann},Y,N,{year}\n{user:bob}, "Y",N,{year}   | the file has no line break at the end | 3    |

  @R-CSV-6 @decided
  Scenario Outline: A carriage return alone at the very end of the file ends the last line, <how>
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      {user:bob},Y,N,{year}
      """
    And <dialect>
    And the last line ends in a carriage return alone
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

    Examples:
      | how                     | dialect                               |
      | after Unix line endings | the file has no line break at the end |
      | after Windows endings   | the file has Windows line endings     |

  @R-CSV-7 @decided
  Scenario: Rows with extra empty fields or one field fail alone, and are counted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year},,
      {user:bob}
      {user:cat},Y,N,{year}
      """
    When I upload the file
    Then the status is 200
    And the summary is "3 users processed. 1 user created. 0 users updated. 2 users failed."
    And row 1 fails with "Row has 6 fields but the header has 4."
    And row 2 fails with "Row has 1 field but the header has 4."
    And row 3 is "User Created"
    And patron "{user:ann}" does not exist

  @R-CSV-7 @decided
  Scenario Outline: A row with a byte that is not UTF-8 in <column> fails alone
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,<column>
      {user:ann},Y,N,{year},Zoë
      """
    And the file is saved as Windows-1252
    And the file gets one more row in UTF-8:
      """
      {user:bob},Y,N,{year},Zoë
      """
    When I upload the file
    Then row 1 fails with "Row is not valid UTF-8; save the file as UTF-8."
    And row 2 is "User Created"
    And patron "{user:ann}" does not exist

    Examples:
      | column    |
      | surname   |
      | formclass |
      | notes     |
