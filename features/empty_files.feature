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
