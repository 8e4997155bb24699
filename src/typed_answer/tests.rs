use super::*;

// Real cards from decks/aws.yaml and decks/devops.yaml, embedded so the
// tests never read the repository.
/// 75fcf45ed9d9: I have an application hosted in the EC2 and I want to connect this application to the RDS securly ? What is the process?
const EC2_RDS: &str = r##"To securely connect your EC2 application to RDS:

1. **Ensure Same VPC**: Place EC2 and RDS in the same VPC or establish connectivity (e.g., VPC peering).
2. **Security Groups**: Update the RDS security group to allow EC2's security group on the DB port (e.g., 3306 for MySQL).
3. **Private Access**: Ensure RDS is in private subnets and use its private endpoint.
4. **Enable SSL/TLS**: Use SSL/TLS for secure data transmission.
5. **IAM Auth (Optional)**: Use IAM roles for authentication instead of hardcoded credentials.
6. **Test Connection**: Confirm with tools like `telnet` or a database client."##;

/// 6a9f876e507d: Suppose we have s3 bucket if the development team wants to upload some files in that, what are the best practices to implement this?
const S3_UPLOADS: &str = include_str!("../../tests/fixtures/answers/s3-uploads.md");

/// dd1167e1078d: What is the use of pre-signed URL in s3?
const PRESIGNED: &str = include_str!("../../tests/fixtures/answers/presigned-url.md");

/// cd183ab849c4: What is Assume role in AWS?
const ASSUME_ROLE: &str = r##"In AWS, **AssumeRole** is an action that allows an entity (such as an IAM user, IAM role, or AWS service) to temporarily assume a different IAM role and gain the permissions associated with that role. This enables controlled delegation of access and permission management across accounts or services.

### **How AssumeRole Works**:
1. **Creating a Role**: An IAM role is created with specific permissions. The role also defines which entities (users, groups, or services) are allowed to assume the role via a trust policy.
2. **Assuming the Role**: The authorized entity (e.g., an IAM user or an EC2 instance) requests to assume the role using the `sts:AssumeRole` API call.
3. **Temporary Security Credentials**: If the request is valid, AWS Security Token Service (STS) generates temporary security credentials (access key, secret key, and session token) for the role. These credentials are used to make requests to AWS resources with the permissions of the assumed role.
4. **Session Duration**: The temporary credentials are valid for a limited duration (from a few minutes to several hours), after which they expire.

### **Common Use Cases for AssumeRole**:
- **Cross-Account Access**: Allow an entity in one AWS account to assume a role in another account to access resources (e.g., an EC2 instance in Account A assumes a role to access resources in Account B).
- **EC2 Instance Role**: EC2 instances assume roles to access AWS services (e.g., S3, DynamoDB) securely without embedding long-term credentials.
- **Delegating Permissions**: Allow users or services to assume a role with elevated permissions for specific tasks, without granting those permissions permanently.

### **Example Scenario**:
- **AssumeRole from One Account to Another**:
  - **Trust Policy**: In Account B, you create a role with a trust policy that allows an IAM user or role in Account A to assume it.
  - **Permissions Policy**: The role in Account B has a permissions policy that grants access to specific resources (e.g., S3).
  - **Assume the Role**: The IAM user or EC2 instance in Account A uses the `sts:AssumeRole` call to get temporary credentials for the role in Account B.

### **Example of AssumeRole API Call** (using AWS CLI):
```bash
aws sts assume-role --role-arn arn:aws:iam::account-id:role/role-name --role-session-name session-name
```

The result will include temporary credentials (access key, secret key, session token) which can be used for subsequent API calls with the permissions of the assumed role.

### **Security Best Practices**:
- Use **least privilege** when assigning permissions to the role.
- Set a **short duration** for temporary credentials to limit the risk of compromised access.
- Use **IAM policies** and **trust policies** to tightly control who can assume the role and under what conditions.

**AssumeRole** is an essential feature for cross-account access, temporary access management, and security in AWS."##;

/// 46e55a7e3458: Troubleshooting: Application Cannot Reach Database
const APP_CANNOT_REACH_DB: &str = r##"I follow a layered debugging approach:

1. Network: kubectl exec into pod → nslookup + nc -z \<host> \<port>
2. DNS: Validate DB endpoint resolves
3. IAM / IRSA: Ensure the correct role is attached to ServiceAccount
4. Configuration: Validate env variables (TABLE\_NAME, region, etc.)
5. Logs / Flow Logs: Check CloudWatch + DynamoDB metrics for errors

This shows discipline & SRE troubleshooting mindset."##;

/// 29e5ca9aa8cb: Can DynamoDB Be Active-Active?
const ACTIVE_ACTIVE: &str = r##"Yes. DynamoDB supports active-active through Global Tables, which replicate data across multiple AWS regions automatically. Each region becomes a full read/write primary. This is commonly used in high-availability and multi-region architectures."##;

/// b6e8daaed18c: Why Are You Looking for a Change?
const LOOKING_FOR_CHANGE: &str = r##"I gained great experience working with large systems at Bank of America. However, the environment is process-heavy. I’m looking for a faster-moving engineering culture where I can have more hands-on technical ownership, especially around Kubernetes, Terraform, observability, and reliability automation."##;

/// 7d19313b9a22: Disaster Recovery Strategy (High-Critical Systems like Netflix)
const DR_STRATEGY: &str = r##"For mission-critical systems, I recommend an Active-Active Multi-Region architecture:

- Deploy services in multiple AWS regions
- Use DynamoDB Global Tables for data replication
- Use Route 53 latency routing for automatic regional failover
- Ensure observability + health checks for traffic shift decisions This reduces downtime to near-zero and meets very low RPO/RTO requirements."##;

fn texts(points: &[KeyPoint]) -> Vec<&str> {
    points.iter().map(|p| p.text.as_str()).collect()
}

fn missed(a: &Assessment) -> Vec<&str> {
    a.points
        .iter()
        .filter(|p| !p.covered)
        .map(|p| p.point.text.as_str())
        .collect()
}

fn is_covered(a: &Assessment, text: &str) -> bool {
    a.points
        .iter()
        .find(|p| p.point.text == text)
        .unwrap_or_else(|| panic!("no point {text:?} in {:?}", a.points))
        .covered
}

// --- key points of real cards ---------------------------------------

#[test]
fn numbered_items_with_bold_heads() {
    let points = key_points(EC2_RDS);
    assert_eq!(
        texts(&points),
        [
            "Ensure Same VPC",
            "Security Groups",
            "Private Access",
            "Enable SSL/TLS",
            "IAM Auth",
            "Test Connection",
        ]
    );
    assert!(points.iter().all(|p| p.kind == PointKind::ListHead));
}

#[test]
fn numbered_bold_headings_without_code_or_filler() {
    let points = key_points(S3_UPLOADS);
    assert_eq!(
        texts(&points),
        [
            "Control Access with IAM Policies",
            "Bucket Policies",
            "Use Pre-Signed URLs for Temporary Access",
            "Enable Encryption",
            "Versioning",
            "Restrict Public Access",
            "Monitoring and Logging",
            "Multipart Uploads for Large Files",
            "Data Transfer Optimization",
            "Automate and Enforce Policies",
        ]
    );
    assert!(points.iter().all(|p| p.kind == PointKind::Heading));
}

#[test]
fn a_heading_over_a_list_of_uses_gives_way_to_them() {
    // "### **Key Uses of Pre-Signed URLs**" is not a point, its six items
    // are; "Example Workflow" ranks below them
    assert_eq!(
        texts(&key_points(PRESIGNED)),
        [
            "Temporary Access to Files",
            "Avoid Direct Bucket Permissions",
            "Secure File Uploads",
            "Access Control",
            "File Distribution",
            "Integration in Applications",
        ]
    );
}

#[test]
fn assume_role_points() {
    assert_eq!(
        texts(&key_points(ASSUME_ROLE)),
        [
            "Creating a Role",
            "Assuming the Role",
            "Temporary Security Credentials",
            "Session Duration",
            "Cross-Account Access",
            "EC2 Instance Role",
            "Delegating Permissions",
            "least privilege",
            "short duration",
            "IAM policies",
            "trust policies",
        ]
    );
}

#[test]
fn plain_list_heads() {
    assert_eq!(
        texts(&key_points(APP_CANNOT_REACH_DB)),
        [
            "Network",
            "DNS",
            "IAM / IRSA",
            "Configuration",
            "Logs / Flow Logs"
        ]
    );
    assert_eq!(
        texts(&key_points(DR_STRATEGY)),
        [
            "Deploy services in multiple AWS regions",
            "Use DynamoDB Global Tables for data replication",
            "Use Route 53 latency routing",
            "Ensure observability + health checks",
        ]
    );
}

#[test]
fn unmarked_answers_get_salient_points() {
    let points = key_points(ACTIVE_ACTIVE);
    assert!(points.iter().all(|p| p.kind == PointKind::Salient));
    assert!((2..=SALIENT_TARGET).contains(&points.len()), "{points:?}");
    for want in ["DynamoDB", "active-active", "Global Tables"] {
        assert!(texts(&points).contains(&want), "{want} in {points:?}");
    }
    let points = key_points(LOOKING_FOR_CHANGE);
    for want in [
        "Bank of America",
        "process-heavy",
        "Kubernetes",
        "Terraform",
    ] {
        assert!(texts(&points).contains(&want), "{want} in {points:?}");
    }
    let points = key_points(
        "Rolling updates replace pods gradually, so the service stays up while \
             Kubernetes swaps versions; a readiness probe gates the traffic.",
    );
    assert!(!points.is_empty());
    assert!(points.iter().all(|p| p.kind == PointKind::Salient));
}

// --- key point rules --------------------------------------------------

#[test]
fn a_numbered_bold_heading_is_one_point() {
    let points = key_points(
        "### 1. **Control Access with IAM Policies**\n- Grant least privilege.\n\n\
             ### 2. **Bucket Policies**\n- Restrict access.",
    );
    assert_eq!(
        texts(&points),
        [
            "Control Access with IAM Policies",
            "Grant least privilege",
            "Bucket Policies",
            "Restrict access",
        ]
    );
    assert_eq!(points[0].kind, PointKind::Heading);
    assert_eq!(points[1].kind, PointKind::ListHead);
}

#[test]
fn filler_heads_are_dropped() {
    let md = "1. **Steps**:\n   1. Create the bucket\n   2. Enable versioning\n\
                  2. **Benefits**:\n   - Cheap storage\n3. **Note**: back up first\n\
                  4. **Example with AWS CLI**: `aws s3 mb`\n\n\
                  ### Example bucket policy\n```json\n{}\n```\n\n\
                  ## Summary\n- **Versioning** and **lifecycle rules**";
    let points = key_points(md);
    assert_eq!(
        texts(&points),
        [
            "Create the bucket",
            "Enable versioning",
            "Cheap storage",
            "aws s3 mb",
            "lifecycle rules",
        ]
    );
    for point in key_points(S3_UPLOADS).iter().chain(&key_points(PRESIGNED)) {
        let lower = point.text.to_lowercase();
        for junk in ["example", "benefit", "steps", "key uses"] {
            assert!(!lower.contains(junk), "{point:?}");
        }
    }
}

#[test]
fn points_are_deduplicated_case_insensitively() {
    let md = "Use **IAM roles** everywhere.\n\n- **IAM Roles**: for EC2\n- **iam role**: again\n\
                  - **Security Groups**: allow 3306\n\n**Security groups** are stateful.";
    let points = key_points(md);
    let lower: Vec<String> = points.iter().map(|p| p.text.to_lowercase()).collect();
    assert_eq!(
        lower.iter().filter(|t| t.starts_with("iam role")).count(),
        1
    );
    assert_eq!(
        lower
            .iter()
            .filter(|t| t.starts_with("security group"))
            .count(),
        1
    );
}

#[test]
fn at_most_max_points() {
    let md: String = (1..=30)
        .map(|i| format!("### {i}. **Practice number {i} about topic{i}**\n- detail {i}\n\n"))
        .collect();
    let points = key_points(&md);
    assert_eq!(points.len(), MAX_POINTS);
    assert_eq!(points[0].text, "Practice number 1 about topic1");
}

#[test]
fn code_spans_come_last_and_code_blocks_only_as_a_last_resort() {
    // plenty of heads: the code span is not needed
    let points = key_points(
        "1. **Backups**: daily\n2. **Replicas**: two\n3. **Failover**: automatic\n\
             4. **Monitoring**: `pg_stat_replication`\n5. **Testing**: restore drills\n\
             6. **Runbooks**: written",
    );
    assert!(
        points.iter().all(|p| p.kind != PointKind::Code),
        "{points:?}"
    );
    // nothing else marked: the code span is a point
    let points = key_points("Use `kubectl rollout undo` to roll back a bad deploy.");
    assert!(
        points
            .iter()
            .any(|p| p.kind == PointKind::Code && p.text == "kubectl rollout undo"),
        "{points:?}"
    );
    // only a code block: its command
    let points = key_points("```bash\nkubectl get pods -n kube-system\n```");
    assert_eq!(texts(&points), ["kubectl get pods"]);
    // a JSON block gives nothing
    assert!(key_points("```json\n{\"Effect\": \"Allow\"}\n```").is_empty());
}

#[test]
fn plain_text_title_lines_and_run_in_heads() {
    let md = "EKS\n\nI deploy OPA Gatekeeper to check manifests.\n\n\
                  CI/CD (Terraform)\n\nOPA evaluates the terraform plan.";
    let points = key_points(md);
    assert!(texts(&points).contains(&"EKS"), "{points:?}");
    assert!(texts(&points).contains(&"CI/CD (Terraform)"), "{points:?}");
    let md = "In Transit: TLS on the ALB and HTTPS to DynamoDB.\n\n\
                  At Rest: KMS for DynamoDB and EBS, secrets in Secrets Manager.";
    let points = key_points(md);
    assert!(texts(&points).contains(&"In Transit"), "{points:?}");
    assert!(texts(&points).contains(&"At Rest"), "{points:?}");
}

// --- hand-written typed answers against real cards ---------------------

#[test]
fn typed_ec2_to_rds() {
    let typed = "so first you put the ec2 and the rds in the same vpc, or peer the vpcs if \
                     they're different. then on the rds security group you allow inbound on 3306 \
                     only from the ec2's security grp. keep the database in a private subnet, no \
                     public access. and use ssl for the connection so traffic is encrpyted. \
                     optionally iam database authentication instead of hardcoding passwords.";
    let a = assess(EC2_RDS, typed);
    assert_eq!(missed(&a), ["Test Connection"]);
    assert_eq!((a.covered, a.total), (5, 6));
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_s3_uploads() {
    let typed = "I'd give the devs an IAM role with least privilege, only s3 putobject on that \
                     bucket. add a bucket policy to restrict who can write. for temporary uploads \
                     use presigned urls. turn on encryption, SSE-KMS. enable versioning so \
                     overwrites can be recovered, and block public access. Also cloudtrail for \
                     logging.";
    let a = assess(S3_UPLOADS, typed);
    assert_eq!(
        missed(&a),
        [
            "Multipart Uploads for Large Files",
            "Data Transfer Optimization",
            "Automate and Enforce Policies",
        ]
    );
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_presigned_url() {
    let typed = "A presigned url gives temporary, time limited access to a specific object \
                     without the user needing aws credentials. Useful for letting clients upload \
                     or download files directly to s3 without making the bucket public.";
    let a = assess(PRESIGNED, typed);
    assert_eq!(
        missed(&a),
        ["Access Control", "Integration in Applications"]
    );
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_assume_role() {
    let typed = "AssumeRole is an STS API call that lets a user or service temporarily take on \
                     another IAM role. You get temporary credentials - access key, secret key and \
                     session token - that expire after the session duration. The role has a \
                     trust policy saying who can assume it. Mostly used for cross account access, \
                     and EC2 instance roles.";
    let a = assess(ASSUME_ROLE, typed);
    assert_eq!(
        missed(&a),
        [
            "Delegating Permissions",
            "least privilege",
            "short duration"
        ]
    );
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_app_cannot_reach_db() {
    // "env vars like table name and region" covers "Configuration"
    // through the explanation under it
    let typed = "I go layer by layer. First network - exec into the pod and try nc to the db \
                     host and port. Then check DNS resolves the endpoint. Then make sure the \
                     service account has the right IRSA role. Check env vars like table name and \
                     region. Finally look at cloudwatch logs and dynamo metrics.";
    let a = assess(APP_CANNOT_REACH_DB, typed);
    assert!(missed(&a).is_empty(), "{:?}", a.points);
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_active_active() {
    let typed = "yes, with dynamodb global tables. it replicates across multiple regions \
                     automatically and every region can take reads and writes, so its active \
                     active.";
    let a = assess(ACTIVE_ACTIVE, typed);
    assert_eq!(missed(&a), ["high-availability"]);
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_looking_for_change() {
    let typed = "I've learned a lot at bank of america working on big systems, but it's very \
                     process heavy. I want a faster paced team where I get more hands on \
                     ownership, especially kubernetes and terraform work.";
    let a = assess(LOOKING_FOR_CHANGE, typed);
    assert_eq!(missed(&a), ["faster-moving"]);
    assert_eq!(a.suggested, Some(Grade::Easy));
}

#[test]
fn typed_dr_strategy() {
    let typed = "For something Netflix-scale I'd go active-active across regions: run the \
                     services in two or more AWS regions, replicate data with DynamoDB global \
                     tables, and use Route53 latency based routing so traffic fails over \
                     automatically.";
    let a = assess(DR_STRATEGY, typed);
    assert_eq!(missed(&a), ["Ensure observability + health checks"]);
    assert_eq!(a.suggested, Some(Grade::Easy));
}

// --- matching ----------------------------------------------------------

#[test]
fn a_paraphrase_covers_everything() {
    let typed = "Keep the EC2 instance and the database in the same VPC, or peer the VPCs. \
                     Lock down the RDS security group so only the app's security group can reach \
                     port 3306. Keep RDS in private subnets and connect through its private \
                     endpoint, no public access. Turn on SSL/TLS for encryption in transit. Use \
                     IAM auth instead of hardcoded passwords, and finally test the connection \
                     with telnet or a mysql client.";
    let a = assess(EC2_RDS, typed);
    assert_eq!((a.covered, a.total), (6, 6));
    assert_eq!(a.suggested, Some(Grade::Easy));

    let typed = "Give the team an IAM policy that controls access with least privilege, and \
                     lock the bucket down with a bucket policy. For temporary access hand out \
                     presigned URLs. Encrypt everything at rest with KMS. Turn on versioning so \
                     overwrites are recoverable, and block all public access. Monitor uploads \
                     with CloudTrail logs. Big files should go through multipart upload, use \
                     transfer acceleration to optimize data transfer from far away, and automate \
                     cleanup with lifecycle rules that enforce the policies.";
    let a = assess(S3_UPLOADS, typed);
    assert_eq!((a.covered, a.total), (10, 10), "{:?}", missed(&a));
    assert_eq!(a.suggested, Some(Grade::Easy));
    assert!((a.ratio() - 1.0).abs() < f32::EPSILON);
}

#[test]
fn an_unrelated_answer_covers_nothing() {
    let typed = "Kubernetes schedules pods onto nodes based on resource requests and limits; \
                     the kubelet reports node status and the scheduler filters and scores nodes \
                     before binding the pod.";
    for answer in [S3_UPLOADS, EC2_RDS, PRESIGNED, ASSUME_ROLE] {
        let a = assess(answer, typed);
        assert_eq!(a.covered, 0, "{:?}", a.points);
        assert_eq!(a.suggested, Some(Grade::Again));
    }
}

#[test]
fn typos_still_match() {
    let typed = "IAM polcies with least privelege, a bukcet policy, presigend URLs for \
                     temprary acess, encrpytion, versoning, restrict publik access, monitring \
                     and loging, multipart uplaods for large flies";
    let a = assess(S3_UPLOADS, typed);
    assert_eq!(
        missed(&a),
        [
            "Data Transfer Optimization",
            "Automate and Enforce Policies"
        ]
    );
    // short words are not "typos" of each other
    let a = assess("- **IAM roles**: who can act", "iam rules");
    assert_eq!(a.covered, 0);
}

#[test]
fn acronyms_and_expansions_are_alternatives() {
    let md = "- **Identity and Access Management (IAM)**: who can do what\n\
                  - **S3-managed keys (SSE-S3)**: the default\n\
                  - Follow the **principle of least privilege** always\n\
                  - Use **Amazon EFS (Elastic File System)** for shared storage";
    let cases: [(&str, &str); 9] = [
        ("IAM", "Identity and Access Management (IAM)"),
        (
            "identity and access managment",
            "Identity and Access Management (IAM)",
        ),
        ("sse-s3", "S3-managed keys (SSE-S3)"),
        ("SSE S3", "S3-managed keys (SSE-S3)"),
        ("s3 managed keys", "S3-managed keys (SSE-S3)"),
        ("PoLP", "principle of least privilege"),
        ("least privilege principle", "principle of least privilege"),
        ("efs", "Amazon EFS (Elastic File System)"),
        ("an elastic file system", "Amazon EFS (Elastic File System)"),
    ];
    for (typed, point) in cases {
        let a = assess(md, typed);
        assert!(is_covered(&a, point), "{typed:?} should cover {point:?}");
        assert_eq!(a.covered, 1, "{typed:?}: {:?}", a.points);
    }
    // an acronym of a run of the point's words: PR = pull request
    let a = assess(
        "- Every change goes through **Pull Request review**",
        "every PR gets reviewed",
    );
    assert_eq!(a.covered, 1, "{:?}", a.points);
    // a typed expansion of the point's acronym
    let a = assess(
        "- Use **IRSA** for pod credentials",
        "iam roles for service accounts",
    );
    assert_eq!(a.covered, 1, "{:?}", a.points);
}

#[test]
fn compounds_and_word_order() {
    let md = "- **Pre-Signed URLs**\n- **CloudTrail**\n- **DynamoDB Global Tables**\n- **SSL/TLS**";
    for typed in [
        "presigned urls, cloudtrail, dynamodb global tables, tls",
        "pre signed URL; cloud trail; global tables in dynamo db; ssl",
        "tables global dynamodb, urls presigned, TLS and CloudTrail",
    ] {
        let a = assess(md, typed);
        assert_eq!(a.covered, 4, "{typed:?}: {:?}", a.points);
    }
    // s3:PutObject is s3 + putobject
    let a = assess(
        "Grant only `s3:PutObject`.",
        "just the put object permission in s3",
    );
    assert!(
        a.points
            .iter()
            .any(|p| p.covered && p.point.text == "s3:PutObject")
    );
}

#[test]
fn numbers_must_match_exactly() {
    let md = "- **Port 3306** for MySQL\n- **Port 5432** for Postgres";
    let a = assess(md, "open port 3307 and port 5432");
    assert!(!is_covered(&a, "Port 3306"));
    assert!(is_covered(&a, "Port 5432"));
}

#[test]
fn light_stemming_and_spelling_variants() {
    for (a, b) in [
        ("policies", "policy"),
        ("encryption", "encrypted"),
        ("encrypting", "encrypt"),
        ("replication", "replicate"),
        ("configuration", "configure"),
        ("optimise", "optimize"),
        ("optimisation", "optimizing"),
        ("logging", "logs"),
        ("deployments", "deploying"),
        ("buckets", "bucket"),
        ("balancer", "balancing"),
        ("regional", "regions"),
        ("resolution", "resolves"),
        ("solutions", "solve"),
        ("evolution", "evolving"),
    ] {
        assert_eq!(stem(a), stem(b), "{a} / {b}");
    }
    assert_ne!(stem("roles"), stem("rules"));
    assert!(close("secruity", "security"));
    assert!(close("encrytion", "encryption"));
    assert!(close("kuberentes", "kubernetes"));
    assert!(!close("roles", "rules"));
    assert!(!close("public", "publish"));
    assert!(!close("encryption", "decryption"));
}

// --- grades --------------------------------------------------------------

#[test]
fn empty_typed_answer_is_again() {
    for typed in ["", "   \n\t "] {
        let a = assess(EC2_RDS, typed);
        assert_eq!(a.covered, 0);
        assert_eq!(a.total, 6);
        assert_eq!(a.suggested, Some(Grade::Again));
    }
}

#[test]
fn no_points_no_grade() {
    for answer in ["", "   ", "...", "```json\n{}\n```", "<!-- comment -->"] {
        let a = assess(answer, "anything at all");
        assert_eq!((a.covered, a.total), (0, 0), "{answer:?}");
        assert_eq!(a.suggested, None);
        assert_eq!(a.ratio(), 0.0);
    }
}

// --- robustness and speed ---------------------------------------------

#[test]
fn never_panics_on_odd_input() {
    let odd = [
        "",
        "**",
        "`",
        "***bold italic***",
        "# \n## 1.\n- \n- **",
        "```",
        "```bash\n",
        "1.\n2.\n3.",
        "- - - -",
        "> > > > > deep **quote**",
        "| a | b |\n|---|---|\n| **x** | `y` |\n| | |",
        "<details><summary>Q</summary>\n\n**A**\n</details>",
        "İİİ: ǅǅ — ß → ﬁ (ŉ) ΣΣ",
        "🎤🎤 **🎤** `🎤` ### 🎤",
        "Step 1:\nStep 2: **x**",
        "1) (((((( **a** ))))) [link](http://x) ![img](y)",
        "\u{0}\u{7f}\u{feff}\r\n\r\n\t",
        "a\\\nb\\\nc\\\nd",
        "- a\n  - b\n    - c\n      - d\n        - e\n          - f **g**",
    ];
    let deep_list: String = (0..200)
        .map(|i| format!("{}- **l{i}**\n", "  ".repeat(i)))
        .collect();
    let deep_quote = ">".repeat(500) + " text";
    let mut inputs: Vec<String> = odd.iter().map(|s| s.to_string()).collect();
    inputs.push(deep_list);
    inputs.push(deep_quote);
    // pseudo-random soups of markdown-significant characters
    let alphabet: Vec<char> = "ab Z9 *_`#->|:()[]/.\\\n\n-1.**İ🎤–—→\"'".chars().collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        let len = (seed % 120) as usize;
        let mut text = String::new();
        for _ in 0..len {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        inputs.push(text);
    }
    for input in &inputs {
        let points = key_points(input);
        assert!(points.len() <= MAX_POINTS);
        for typed in [input.as_str(), "", "a", "ab cd ef", EC2_RDS] {
            let a = assess(input, typed);
            assert_eq!(a.total, a.points.len());
            assert!(a.covered <= a.total);
        }
    }
}

#[test]
fn huge_inputs_are_capped() {
    let answer = S3_UPLOADS.repeat(200); // ~1 MB
    let typed = "versioning encryption bucket policies presigned ".repeat(30_000);
    let a = assess(&answer, &typed);
    assert!(a.total > 0 && a.total <= MAX_POINTS);
    assert!(a.covered > 0);
}

// --- the suggested grade ------------------------------------------------

const STATEFULSET: &str = "A **StatefulSet** runs stateful applications such as databases. \
    Each pod gets a stable name (`web-0`, `web-1`) and its own persistent volume, and pods \
    are created and deleted in order.";

#[test]
fn code_spans_are_illustrations_not_required() {
    let typed = "it is for stateful apps like databases: every pod keeps a stable name and its \
                 own persistent volume, and they start in order";
    let a = assess_card("What is a StatefulSet?", STATEFULSET, typed);
    assert_eq!(a.suggested, Some(Grade::Easy), "{:?}", a.points);
}

#[test]
fn the_question_words_earn_nothing() {
    let a = assess_card("What is a StatefulSet?", STATEFULSET, "a statefulset");
    assert_eq!(a.suggested, Some(Grade::Again), "{:?}", a.points);
}

#[test]
fn a_string_of_keywords_is_again() {
    // every word of a complete answer, and no sentence saying how they relate
    let typed = "statefulset stateful databases pod stable name persistent volume order";
    let a = assess_card("What is a StatefulSet?", STATEFULSET, typed);
    assert_eq!(a.suggested, Some(Grade::Again), "{:?}", a.points);
    assert_eq!(a.reason, Some(Reason::Keywords));
    // the same words in a sentence are an answer
    let typed = "stateful databases: each pod has a stable name and persistent volume, in order";
    let a = assess_card("What is a StatefulSet?", STATEFULSET, typed);
    assert_eq!(a.suggested, Some(Grade::Easy), "{:?}", a.points);
}

#[test]
fn contradicting_a_yes_is_again() {
    let a = assess(
        ACTIVE_ACTIVE,
        "no, dynamodb global tables only replicate to read replicas",
    );
    assert_eq!(a.suggested, Some(Grade::Again));
    let a = assess(
        ACTIVE_ACTIVE,
        "yes, global tables: every region reads and writes",
    );
    assert_eq!(a.suggested, Some(Grade::Good));
}

#[test]
fn not_knowing_is_again() {
    for typed in ["no idea", "I don't know", "dunno", "not sure"] {
        assert_eq!(
            assess(ACTIVE_ACTIVE, typed).suggested,
            Some(Grade::Again),
            "{typed}"
        );
    }
}

#[test]
fn listed_wrong_answers_are_neither_points_nor_evidence() {
    let answer = "By using `binding.pry` expression\n\nPossible incorrect answers:\n\n\
                  * By using `console.debug` expression\n* By setting a breakpoint in your IDE\n";
    let points = key_points(answer);
    assert!(
        points.iter().all(|p| !p.text.contains("console")),
        "{points:?}"
    );
    let question = "How do you call Pry console debugger from a Ruby program?";
    assert_eq!(
        assess_card(question, answer, "binding.pry").suggested,
        Some(Grade::Easy)
    );
    assert_eq!(
        assess_card(question, answer, "set a breakpoint in your IDE").suggested,
        Some(Grade::Again)
    );
}

#[test]
fn common_equivalents_count_on_both_sides() {
    let index = TypedIndex::new("it deletes them fast");
    for word in ["removes", "remove", "quickly", "faster"] {
        assert!(index.has(&Tok::new(word)), "{word}");
    }
    assert!(!index.has(&Tok::new("slowly")));
}

const GIL: &str = "The **Global Interpreter Lock (GIL)** is a mutex in CPython that allows only \
    one thread to execute Python bytecode at a time, even on a multi-core machine.\n\n\
    It keeps memory management thread-safe, but CPU-bound threads do not run in parallel.";

#[test]
fn the_question_its_acronym_spelled_out_and_names_built_on_it_are_given() {
    let given = given_stems("What is the GIL in Python?", GIL);
    for word in ["gil", "python", "cpython", "global", "interpreter", "lock"] {
        assert!(given.contains(&Tok::new(word).stem), "{word}: {given:?}");
    }
    assert!(!given.contains(&Tok::new("mutex").stem));
    let points = assess_card("What is the GIL in Python?", GIL, "").points;
    assert!(
        points.iter().all(|p| !p.point.text.contains("Global")),
        "{points:?}"
    );
    let again = assess_card(
        "What is the GIL in Python?",
        GIL,
        "it's the global interpreter lock",
    );
    assert_eq!(again.suggested, Some(Grade::Again));
}

#[test]
fn saying_the_subject_back_is_again() {
    let answer = "The event loop handles all async callbacks. Callbacks are queued in a loop, \
                  while other code runs, and will run one by one when the response for each \
                  one has been received.";
    let question = "What is the event loop in Node.js?";
    let a = assess_card(question, answer, "something in Node.js that handles events");
    assert_eq!(a.suggested, Some(Grade::Again));
    let a = assess_card(question, answer, "it runs queued callbacks one by one");
    assert_ne!(a.suggested, Some(Grade::Again));
}

#[test]
fn a_few_keywords_are_again() {
    let typed = "statefulset statefulset pods kubernetes cluster";
    let a = assess_card("What is a StatefulSet?", STATEFULSET, typed);
    assert_eq!(a.suggested, Some(Grade::Again), "{:?}", a.points);
}

#[test]
fn a_word_said_only_in_the_negative_does_not_count_for_its_affirmation() {
    let mut index = TypedIndex::new("python can't do threads at all");
    index.set_reference("only one thread executes Python bytecode at a time");
    assert!(!index.has(&Tok::new("thread")));
    let mut index = TypedIndex::new("the deploy never happens");
    index.set_reference("The pipeline stops. The deployment does not happen.");
    assert!(index.has(&Tok::new("happen")));
    // "not only" is no negation, nor is the object of a generic verb
    let mut index = TypedIndex::new("not only rows but groups, without making the bucket public");
    index.set_reference("rows and groups in a bucket");
    for word in ["rows", "groups", "bucket"] {
        assert!(index.has(&Tok::new(word)), "{word}");
    }
    // "less reliable" is no claim of being reliable; "unreliable" is its word
    let mut index = TypedIndex::new("UDP is less reliable, with fewer guarantees");
    index.set_reference("TCP is reliable and guarantees delivery");
    assert!(!index.has(&Tok::new("reliable")));
    assert!(!index.has(&Tok::new("guarantees")));
    assert_eq!(
        Phrase::new("unreliable").matched(&TypedIndex::new("it is less reliable")),
        (1, 1)
    );
}

#[test]
fn a_negation_stands_for_the_negative_word() {
    for (typed, word) in [
        ("UDP just sends, without a connection", "connectionless"),
        ("the database is not public", "private"),
        ("it doesn't block", "non-blocking"),
    ] {
        let index = TypedIndex::new(typed);
        let phrase = Phrase::new(word);
        assert_eq!(phrase.matched(&index), (1, 1), "{typed} / {word}");
    }
}

#[test]
fn a_part_of_a_closed_compound_counts() {
    assert!(TypedIndex::new("containers are lighter").has(&Tok::new("lightweight")));
    assert!(TypedIndex::new("you give it a name").has(&Tok::new("hostname")));
    assert!(!TypedIndex::new("it keeps state").has(&Tok::new("stateless")));
    assert!(!TypedIndex::new("it is blocking").has(&Tok::new("nonblocking")));
    assert!(!TypedIndex::new("and so on").has(&Tok::new("commands")));
}

#[test]
fn common_technical_synonyms_count() {
    for (typed, word) in [
        ("a mutex that lets one thread run bytecode", "execute"),
        ("applies the latest stash", "recent"),
        ("pop also drops it", "removes"),
        ("go back to an older version", "revision"),
        ("you temporarily get its permissions", "gain"),
    ] {
        assert!(
            TypedIndex::new(typed).has(&Tok::new(word)),
            "{typed} / {word}"
        );
    }
}

const WHERE_HAVING: &str = "- **WHERE:** Filters rows before GROUP BY, cannot use aggregates\n\
    - **HAVING:** Filters groups after aggregation, can use aggregates";

#[test]
fn a_comparison_with_its_sides_swapped_is_again() {
    let question = "What's the difference between WHERE and HAVING?";
    let right = "WHERE filters rows before grouping, HAVING filters the groups after GROUP BY";
    let swapped = "WHERE filters the groups after aggregation, HAVING filters rows before grouping";
    assert!(assess_card(question, WHERE_HAVING, right).suggested >= Some(Grade::Good));
    assert_eq!(
        assess_card(question, WHERE_HAVING, swapped).suggested,
        Some(Grade::Again)
    );
    // something the reference never says about a side costs a grade
    let unfounded = "WHERE is for filtering rows and HAVING is for sorting";
    assert!(assess_card(question, WHERE_HAVING, unfounded).suggested <= Some(Grade::Hard));
    let founded = "WHERE is for filtering rows and HAVING for filtering groups";
    assert!(assess_card(question, WHERE_HAVING, founded).suggested >= Some(Grade::Good));
}

#[test]
fn sides_are_named_as_the_question_writes_them() {
    let question = "What is the difference between Docker RUN, CMD and ENTRYPOINT?";
    let answer = "RUN executes commands at build time to create image layers. CMD defines \
                  the default command that runs when a container starts and can be \
                  overridden. ENTRYPOINT sets the main executable for the container.";
    // "runs" in the answer is no mention of RUN, so "container starts" is CMD's
    let typed = "RUN starts the container, CMD builds the image layers";
    assert_eq!(
        assess_card(question, answer, typed).suggested,
        Some(Grade::Again)
    );
    let typed = "RUN builds image layers at build time, CMD is the default command when the \
                 container starts, ENTRYPOINT the main executable";
    assert!(assess_card(question, answer, typed).suggested >= Some(Grade::Good));
}

const TCP_UDP: &str = "TCP is a connection-based protocol and UDP is connectionless. While \
    TCP is more reliable, it transfers data more slowly. UDP is less reliable but works more \
    quickly.";

#[test]
fn one_right_word_for_each_side_is_the_contrast() {
    // "less reliable" says of UDP that it is not reliable, so "reliable" is
    // TCP's alone, and the terse answer tells the sides apart
    let a = assess_card("TCP vs UDP", TCP_UDP, "tcp reliable, udp fast");
    assert_eq!(a.suggested, Some(Grade::Good), "{:?}", a.points);
    assert_eq!(a.reason, Some(Reason::Contrast));
    // said the other way round, it is wrong
    let a = assess_card("TCP vs UDP", TCP_UDP, "udp reliable, tcp fast");
    assert_eq!(a.suggested, Some(Grade::Again), "{:?}", a.points);
    // one side alone is not the contrast
    let a = assess_card("TCP vs UDP", TCP_UDP, "tcp is reliable");
    assert!(a.suggested <= Some(Grade::Hard), "{:?}", a.points);
    // two sides named together tell neither apart
    let question = "What is the difference between Docker RUN, CMD and ENTRYPOINT?";
    let answer = "RUN executes commands at build time to create image layers. CMD defines \
                  the default command that runs when a container starts and can be \
                  overridden. ENTRYPOINT sets the main executable for the container.";
    let sides = Sides::new(question, answer).expect("three sides");
    let known = TypedIndex::of_reference(answer);
    let verdict = |typed: &str| sides.verdict(typed, &known, &FastSet::default());
    let together = verdict("RUN is build time, CMD and ENTRYPOINT are when the container starts");
    assert!(!together.contrast(), "{together:?}");
    let apart = verdict("RUN is build time, CMD the default command, ENTRYPOINT the executable");
    assert!(apart.contrast(), "{apart:?}");
}

#[test]
fn calling_the_sides_the_same_is_again() {
    let question = "What's the difference between WHERE and HAVING?";
    for typed in [
        "they're the same, HAVING is just the older name",
        "no difference, both filter",
        "WHERE and HAVING are identical",
    ] {
        let a = assess_card(question, WHERE_HAVING, typed);
        assert_eq!(a.suggested, Some(Grade::Again), "{typed}");
    }
    // "the same" beside a right contrast is no claim that they are alike
    let typed = "both filter the same way, but WHERE filters rows before GROUP BY and \
                 HAVING filters groups after aggregation";
    assert!(assess_card(question, WHERE_HAVING, typed).suggested >= Some(Grade::Good));
}

#[test]
fn most_of_a_short_answer_in_few_words_is_easy() {
    // the sides' names take most of the words of a comparison's answer
    let typed = "HAVING filters groups after aggregation and can use aggregates, WHERE can't";
    let a = assess_card(
        "What's the difference between WHERE and HAVING?",
        WHERE_HAVING,
        typed,
    );
    assert_eq!(a.suggested, Some(Grade::Easy), "{:?}", a.points);
}

#[test]
fn several_things_the_reference_says_are_more_than_partial() {
    // five content words, all the reference's: the essence, in other words
    let typed = "temporary credentials to assume a different role and its permissions";
    let a = assess_card("What is Assume role in AWS?", ASSUME_ROLE, typed);
    assert!(a.suggested >= Some(Grade::Good), "{:?}", a.points);
    // two of them are a partial answer
    let a = assess_card(
        "What is Assume role in AWS?",
        ASSUME_ROLE,
        "temporary credentials",
    );
    assert_eq!(a.suggested, Some(Grade::Hard), "{:?}", a.points);
}

#[test]
fn a_side_named_inside_another_is_told_apart() {
    let answer = "- **UNION:** Combines results, removes duplicates (slower)\n\
                  - **UNION ALL:** Combines results, keeps duplicates (faster)";
    let question = "What's the difference between UNION and UNION ALL?";
    let right = assess_card(
        question,
        answer,
        "union all keeps dupes, union gets rid of them",
    );
    assert_eq!(right.suggested, Some(Grade::Good), "{:?}", right.points);
    let swapped = assess_card(
        question,
        answer,
        "UNION ALL removes the duplicates, UNION keeps them",
    );
    assert_eq!(
        swapped.suggested,
        Some(Grade::Again),
        "{:?}",
        swapped.points
    );
}

#[test]
fn operators_are_sides_by_their_spoken_names_too() {
    let question = "What is the difference between `==` and `===`?";
    let answer = "When using triple equals in JavaScript we are testing for strict equality. \
                  This means both the type and the value we are comparing have to be the same. \
                  On the other hand, double equals first performs type coercion and then checks \
                  for loose equality.\n\n* Type coercion - converts values into a common type";
    let swapped = "=== does type coercion before comparing and == is the strict one";
    let a = assess_card(question, answer, swapped);
    assert!(a.suggested <= Some(Grade::Hard), "{:?}", a.points);
    let right = "=== is strict, comparing type and value; == does type coercion first, so \
                 1 == '1' is true but 1 === '1' is false";
    let a = assess_card(question, answer, right);
    assert!(a.suggested >= Some(Grade::Good), "{:?}", a.points);
}

#[test]
fn a_later_clause_may_name_a_side_another_way() {
    let question = "What is the difference between \"expose\" and \"publish\" in Docker?";
    let answer = "EXPOSE is used in a Dockerfile to document which ports the application \
                  listens on. Publish refers to mapping a container port to a host port using \
                  options like -p with docker run, which makes the service accessible.";
    let sides = Sides::new(question, answer).expect("two sides");
    let known = TypedIndex::of_reference(answer);
    let verdict = |typed: &str| sides.verdict(typed, &known, &FastSet::default());
    // `-p` is publish: its clause counts for neither side
    let aliased = verdict("expose is just documentation, -p maps the port to the host");
    assert_eq!(
        (aliased.supported, aliased.misattributed),
        (1, 0),
        "{aliased:?}"
    );
    // a side's own clause still says what it says
    let swapped = verdict("expose maps the port to the host, publish documents it");
    assert!(swapped.misattributed >= 1, "{swapped:?}");
}

#[test]
fn a_new_block_is_about_no_side_unless_a_title_named_it() {
    let verdict = |answer: &str, typed: &str| {
        let sides = Sides::new("TCP vs UDP", answer).expect("two sides");
        sides.verdict(
            typed,
            &TypedIndex::of_reference(answer),
            &FastSet::default(),
        )
    };
    // the last block names no side: what it says is no side's
    let answer = "TCP is reliable.\nUDP is fast.\nVideo calls are a common use.";
    assert_eq!(verdict(answer, "tcp is for video calls").misattributed, 0);
    // a block that only names its side is a title for the next one
    let answer = "TCP\nreliable and ordered\nUDP\nfast";
    assert_eq!(
        verdict(answer, "udp is reliable and ordered").misattributed,
        1
    );
}

// --- the card's language ---------------------------------------------

#[test]
fn the_language_of_a_card_is_told_by_its_stop_words() {
    for (question, answer, language) in [
        (
            "How is a container different from a virtual machine?",
            "A container shares the host's kernel and runs as an isolated process.",
            Language::English,
        ),
        (
            "Was ist ein Docker-Volume?",
            "Ein Speicherbereich außerhalb des Containers, dessen Daten bleiben, wenn er gelöscht wird.",
            Language::German,
        ),
        (
            "Qu'est-ce qu'un conteneur ?",
            "Un conteneur partage le noyau de l'hôte et tourne comme un processus isolé.",
            Language::French,
        ),
        (
            "¿Qué es un contenedor?",
            "Un contenedor comparte el núcleo del anfitrión y se ejecuta como un proceso aislado.",
            Language::Spanish,
        ),
        (
            "O que é um contêiner?",
            "Um contêiner compartilha o kernel do hospedeiro e roda como um processo isolado.",
            Language::Portuguese,
        ),
        (
            "Che cos'è un container?",
            "Un container condivide il kernel dell'host e gira come un processo isolato.",
            Language::Italian,
        ),
        (
            "Wat is een container?",
            "Een container deelt de kernel van de host en draait als een geïsoleerd proces.",
            Language::Dutch,
        ),
        (
            "Что такое контейнер?",
            "Контейнер использует ядро хоста и работает как изолированный процесс.",
            Language::Russian,
        ),
        // too few function words to tell: English
        (
            "What does S3 stand for?",
            "Simple Storage Service.",
            Language::English,
        ),
        ("", "Kubernetes, Docker, Helm", Language::English),
        ("", "", Language::English),
        // acronyms and single letters are no one language's words
        (
            "Linux features essential for containerization",
            "Namespaces (PID, IPC), cgroups, UnionFS (e.g. OverlayFS)",
            Language::English,
        ),
        // code is no prose: German text over an English shell loop
        (
            "Wie benennt man alle Dateien um?",
            "Mit einer Schleife über die Dateien:\n\n```sh\nfor f in *.txt; do mv \"$f\" \"${f%.txt}.md\"; done\n```\n\nDas ist in jeder Shell so möglich, if it is POSIX.",
            Language::German,
        ),
        // a tie between languages goes to the one listed first: `se` and
        // `un` are Spanish, French and Italian
        (
            "¿Cómo se genera un número aleatorio?",
            "Usando `Math.random()`.",
            Language::Spanish,
        ),
    ] {
        assert_eq!(
            Language::of_card(question, answer),
            language,
            "{question} / {answer}"
        );
    }
}

#[test]
fn stop_words_and_stems_are_the_languages() {
    for word in ["einen", "sich", "sind"] {
        assert!(Language::German.is_stop(word), "{word}");
        assert!(!Language::English.is_stop(word), "{word}");
    }
    // English keeps its spoken fillers, and every language has `um` and `ok`
    for word in ["the", "gonna", "stuff", "um"] {
        assert!(Language::English.is_stop(word), "{word}");
    }
    assert!(Language::German.is_stop("um") && Language::German.is_stop("ok"));
    assert!(!Language::German.is_stop("stuff"));
    // German endings and umlauts, by Snowball
    assert_eq!(
        Language::German.stem("containern"),
        Language::German.stem("container")
    );
    assert_eq!(
        Language::German.stem("gelöschten"),
        Language::German.stem("gelöscht")
    );
    // English keeps its own stripper, which joins derivations
    assert_eq!(
        Language::English.stem("resolution"),
        Language::English.stem("resolves")
    );
    // outside an assessment the words are English
    assert_eq!(Language::current(), Language::English);
    Language::German.judging(|| {
        assert!(is_stop("einen"));
        assert_eq!(stem("containern"), Language::German.stem("containern"));
    });
    assert_eq!(Language::current(), Language::English);
}

#[test]
fn a_german_answer_to_a_german_card_is_read_in_german() {
    let question = "Was ist ein Namespace in Kubernetes?";
    let answer = "Ein Namespace teilt einen Cluster in virtuelle Bereiche auf. Ressourcen in \
                  verschiedenen Namespaces sind voneinander getrennt und lassen sich mit eigenen \
                  Quotas und Berechtigungen versehen. Namen müssen nur innerhalb eines \
                  Namespaces eindeutig sein.";
    let points = key_points(answer);
    for point in &points {
        let word = point.text.to_lowercase();
        assert!(!Language::German.is_stop(&word), "{point:?}");
    }
    let right = "Ein Namespace teilt den Cluster auf: getrennte Bereiche, jeder mit eigenen \
                 Quotas und Berechtigungen; Namen müssen nur darin eindeutig sein";
    let a = assess_card(question, answer, right);
    assert_eq!(a.suggested, Some(Grade::Easy), "{:?}", a.points);
    assert_eq!(a.reason, None);
    // the question said back in German function words is no answer
    let a = assess_card(question, answer, "etwas in Kubernetes, das Namespaces hat");
    assert_eq!(a.suggested, Some(Grade::Again), "{:?}", a.points);
    assert_eq!(a.reason, Some(Reason::OnlyTheQuestion));
    // and German keywords alone are still a list of keywords
    let a = assess_card(
        question,
        answer,
        "Namespace Cluster Bereiche Quotas Berechtigungen Namen",
    );
    assert_eq!(a.reason, Some(Reason::Keywords), "{:?}", a.points);
}
