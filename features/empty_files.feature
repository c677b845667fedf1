Feature: Empty and header-only files
  Schools performing scheduled incremental imports may send an empty file.

  @R-CSV-1 @documented
  Scenario: An empty file is a successful import of nothing
    Given an empty CSV file
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

  @R-CSV-1 @documented
  Scenario: A header row with no data rows is the same
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      """
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

  @R-CSV-1 @documented
  Scenario Outline: A header alone, <how>, is a successful import of nothing
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      """
    And <dialect>
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

    Examples:
      | how                         | dialect                                   |
      | with Windows line endings   | the file has Windows line endings         |
      | without a final line break  | the file has no line break at the end     |

  @R-CSV-5 @decided
  Scenario: A header followed by blank lines only is a successful import of nothing
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear

        
      """
    And the file has Windows line endings
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

  @R-CSV-4 @decided
  Scenario: A header alone after a byte-order mark is a successful import of nothing
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      """
    And the file starts with a byte-order mark
    When I upload the file
    Then the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

  @R-CSV-1 @decided
  Scenario: A file of blank lines only is a successful import of nothing
    Given a CSV file:
      """

        
      {tab}
      """
    And the file has Windows line endings
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """

  @R-CSV-1 @decided
  Scenario: A file of a byte-order mark only is a successful import of nothing
    Given an empty CSV file
    And the file starts with a byte-order mark
    When I upload the file
    Then the status is 200
    And the answer is:
      """
      {"success": true, "summary": "0 users processed. 0 users created. 0 users updated. 0 users failed."}
      """
