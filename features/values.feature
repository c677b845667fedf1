Feature: Values that break a naive implementation
  Valid values that a server built on SQL LIKE, a glob, HTML templates, a
  hand-written JSON encoder, PHP's fgetcsv, UTF-16 strings or a line reader
  gets wrong: wildcards, markup and quotes, backslashes, characters beyond
  the Basic Multilingual Plane, combining and right-to-left characters,
  every length counted in bytes, code points and UTF-16 units, lines near
  64 KiB. The values are one table (package features/hostile) that
  autosync explore draws from too.

  @R-ROW-8 @documented
  Scenario Outline: An academic level written <variant> is not a declared level
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:ann},Y,N,{variant:<variant>:level}
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) value '{variant:<variant>:level}' is not a declared academic level."

    Examples:
      | variant |
      | like-any |
      | like-suffix |
      | like-each |
      | like-last |
      | glob-any |
      | glob-each |
      | glob-last |
      | glob-class |

  @R-ROW-14 @documented
  Scenario Outline: A presentation group written <variant> is not a current group
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:ann},Y,N,{year},{variant:<variant>:group}
      """
    When I upload the file
    Then row 1 fails with "Field (presentationGroupLabel) value '{variant:<variant>:group}' is not a current presentation group."

    Examples:
      | variant |
      | like-any |
      | like-suffix |
      | like-each |
      | like-last |
      | glob-any |
      | glob-each |
      | glob-last |
      | glob-class |

  @R-ROW-10 @decided
  Scenario Outline: A barcode written <variant> of another patron's is a barcode of its own
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{barcode:b1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},{variant:<variant>:barcode:b1}
      {user:third},Y,N,{year},{barcode:b1}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."

    Examples:
      | variant |
      | like-suffix |
      | like-last |
      | glob-last |
      | glob-class |
      | accent-last |

  @R-ROW-11 @decided
  Scenario Outline: An admin id written <variant> of another patron's is an admin id of its own
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:owner},Y,N,{year},{adminid:s1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:other},Y,N,{year},{variant:<variant>:adminid:s1}
      {user:third},Y,N,{year},{adminid:s1}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (adminSystemId) value '{adminid:s1}' is already used by another patron."

    Examples:
      | variant |
      | like-suffix |
      | like-last |
      | glob-last |
      | glob-class |
      | accent-last |

  @R-ROW-1 @documented
  Scenario Outline: A username written <variant> of another patron's is a patron of its own
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,formclass
      {user:owner},Y,N,{year},7A
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,formclass
      {variant:<variant>:user:owner},Y,N,{year},8B
      """
    When I upload the file
    Then the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

    Examples:
      | variant |
      | like-suffix |
      | like-last |
      | glob-last |
      | accent-last |

  @R-ROW-10 @R-RES-1 @documented
  Scenario Outline: A taken barcode holding <value> is quoted exactly in the answer
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},"{barcode:b1} {hostile:<value>:csv}"
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},"{barcode:b1} {hostile:<value>:csv}"
      """
    When I upload the file
    Then the answer is JSON
    And row 1 fails with "Field (libraryBarcode) value '{barcode:b1} {hostile:<value>}' is already used by another patron."

    Examples:
      | value |
      | percent |
      | underscore |
      | star |
      | question |
      | bracket |
      | less-than |
      | ampersand |
      | apostrophe |
      | double-quote |
      | backslash-quote |
      | trailing-backslash |
      | comma |
      | formula |
      | json |
      | printf |
      | astral |
      | emoji |
      | combining |
      | precomposed |
      | hebrew |
      | arabic |
      | cjk |

  @R-ROW-8 @R-RES-1 @documented
  Scenario Outline: An undeclared academic level holding <value> is quoted exactly in the answer
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:ann},Y,N,"{hostile:<value>:csv}"
      """
    When I upload the file
    Then the answer is JSON
    And row 1 fails with "Field (academicLevel) value '{hostile:<value>}' is not a declared academic level."

    Examples:
      | value |
      | percent |
      | underscore |
      | star |
      | question |
      | bracket |
      | less-than |
      | ampersand |
      | apostrophe |
      | double-quote |
      | backslash-quote |
      | trailing-backslash |
      | comma |
      | formula |
      | json |
      | printf |
      | astral |
      | emoji |
      | combining |
      | precomposed |
      | hebrew |
      | arabic |
      | cjk |

  @R-ROW-15 @decided
  Scenario Outline: Names holding <value> are stored, and a patron with them is created
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname,surname,formclass,librarybarcode
      {user:ann},Y,N,{year},"{hostile:<value>:csv}","{hostile:<value>:csv}","{hostile:<value>:csv}","{barcode:b1}{hostile:<value>:csv}"
      {user:bob},Y,N,{year},plain,plain,,
      """
    When I upload the file
    Then the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

    Examples:
      | value |
      | percent |
      | underscore |
      | star |
      | question |
      | bracket |
      | less-than |
      | ampersand |
      | apostrophe |
      | double-quote |
      | backslash-quote |
      | trailing-backslash |
      | comma |
      | formula |
      | json |
      | printf |
      | astral |
      | emoji |
      | combining |
      | precomposed |
      | hebrew |
      | arabic |
      | cjk |

  @R-ROW-15 @decided
  Scenario Outline: A given name of <length> is within the limit of 255 code points
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname
      {user:ann},Y,N,{year},{hostile:<length>}
      """
    When I upload the file
    Then the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

    Examples:
      | length |
      | ascii-255 |
      | two-byte-255 |
      | three-byte-255 |
      | astral-64 |
      | astral-128 |
      | astral-255 |
      | combining-127 |

  @R-ROW-15 @decided
  Scenario Outline: A given name of <length> is over the limit of 255 code points
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname
      {user:ann},Y,N,{year},{hostile:<length>}
      """
    When I upload the file
    Then row 1 fails with "Field (givenName) is longer than 255 characters."

    Examples:
      | length |
      | ascii-256 |
      | two-byte-256 |
      | astral-256 |
      | combining-128 |

  @R-ROW-15 @decided
  Scenario: A barcode of 255 characters beyond the BMP is within the limit and unique
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:ann},Y,N,{year},{barcode:b1:255:𝒜}
      {user:bob},Y,N,{year},{barcode:b1:255:𝒜}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (libraryBarcode) value '{barcode:b1:255:𝒜}' is already used by another patron."

  @R-ROW-17 @decided
  Scenario: A password of 18 characters beyond the BMP is 72 bytes, within the limit
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,password
      {user:ann},Y,N,{year},{repeat:𝒜:18}
      {user:bob},Y,N,{year},{repeat:𝒜:19}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (password) is longer than 72 bytes."

  @R-ROW-10 @decided
  Scenario: One patron's admin id is another's barcode, and one's barcode another's admin id
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:owner},Y,N,{year},{barcode:b1},{adminid:s1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:other},Y,N,{year},{adminid:s1},{barcode:b1}
      """
    When I upload the file
    Then the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-ROW-10 @decided
  Scenario: A barcode with a combining mark and the same barcode precomposed are two barcodes
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{barcode:b1}{hostile:combining}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},{barcode:b1}{hostile:precomposed}
      """
    When I upload the file
    Then the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-CSV-5 @decided
  Scenario: A backslash before a quote is a character, not an escape
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname,surname
      {user:ann},Y,N,{year},"C:\dir\","O\""Brien"
      {user:bob},Y,N,{year},"x\",y
      """
    When I upload the file
    Then the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

  @R-CSV-4 @R-CSV-6 @decided
  Scenario Outline: A line of <bytes> bytes, long in a column the server ignores, is read whole
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,notes
      {user:ann},Y,N,{year},{longline:<bytes>}
      {user:bob},Y,N,{year},short
      """
    When I upload the file
    Then the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

    Examples:
      | bytes |
      | 8192 |
      | 65535 |
      | 65536 |
      | 70000 |

  @R-ROW-14 @documented
  Scenario Outline: A presentation group holding <value> that is not current is quoted exactly in the answer
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:ann},Y,N,{year},"{hostile:<value>:csv}"
      """
    When I upload the file
    Then the answer is JSON
    And row 1 fails with "Field (presentationGroupLabel) value '{hostile:<value>}' is not a current presentation group."

    Examples:
      | value |
      | percent |
      | underscore |
      | star |
      | question |
      | bracket |
      | less-than |
      | ampersand |
      | apostrophe |
      | double-quote |
      | backslash-quote |
      | trailing-backslash |
      | comma |
      | formula |
      | json |
      | printf |
      | astral |
      | emoji |
      | combining |
      | precomposed |
      | hebrew |
      | arabic |
      | cjk |

  @R-ROW-11 @decided
  Scenario Outline: A taken admin id holding <value> is quoted exactly in the answer
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:owner},Y,N,{year},"{adminid:s1} {hostile:<value>:csv}"
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:other},Y,N,{year},"{adminid:s1} {hostile:<value>:csv}"
      """
    When I upload the file
    Then the answer is JSON
    And row 1 fails with "Field (adminSystemId) value '{adminid:s1} {hostile:<value>}' is already used by another patron."

    Examples:
      | value |
      | percent |
      | underscore |
      | star |
      | question |
      | bracket |
      | less-than |
      | ampersand |
      | apostrophe |
      | double-quote |
      | backslash-quote |
      | trailing-backslash |
      | comma |
      | formula |
      | json |
      | printf |
      | astral |
      | emoji |
      | combining |
      | precomposed |
      | hebrew |
      | arabic |
      | cjk |

  @R-ROW-15 @decided
  Scenario Outline: A value of 255 characters beyond the BMP in <field> is within the limit, and of 256 over it
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,<field>
      {user:ann},Y,N,{year},<at>
      {user:bob},Y,N,{year},<over>
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (<name>) is longer than 255 characters."

    Examples:
      | field         | name          | at                      | over                    |
      | surname       | surname       | {hostile:astral-255}    | {hostile:astral-256}    |
      | middlename    | middleName    | {hostile:astral-255}    | {hostile:astral-256}    |
      | preferredname | preferredName | {hostile:astral-255}    | {hostile:astral-256}    |
      | formclass     | formClass     | {hostile:astral-255}    | {hostile:astral-256}    |
      | librarybarcode | libraryBarcode | {barcode:b1:255:𝒜}    | {barcode:b2:256:𝒜}      |
      | adminsystemid | adminSystemId | {adminid:s1:255:𝒜}      | {adminid:s2:256:𝒜}      |

  @R-ROW-15 @decided
  Scenario: A username of 255 characters beyond the BMP is within the limit, and of 256 over it
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann:255:𝒜},Y,N,{year}
      {user:bob:256:𝒜},Y,N,{year}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (username) is longer than 255 characters."
