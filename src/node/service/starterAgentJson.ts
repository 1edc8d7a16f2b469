/**
 * The agent.json `install-service` writes when there is none: the Java agent's stock file in spirit
 * (one placeholder flow), valid as it stands so `shardline validate` passes, with the pointers an
 * operator needs. Until it is edited the flow waits in state `error` (stream not found), harmlessly.
 */
export function starterAgentJson(configPath: string): string {
  return `// Shardline configuration: the Amazon Kinesis Agent's agent.json format; comments are allowed.
// Every key is described in Shardline's README (Configuration).
// Check it:  shardline validate -c ${configPath}
// Apply it:  systemctl reload shardline   (or edit it in the web UI: shardline ui)
{
  // Region of the streams; credentials come from the SDK chain (instance profile, environment, …).
  "kinesis.region": "us-east-1",
  "flows": [
    {
      "filePattern": "/var/log/app/*.log",
      "kinesisStream": "yourkinesisstream",
      "partitionKeyOption": "RANDOM"
    }
  ]
}
`;
}
