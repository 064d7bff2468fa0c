//! New and changed beneficiaries in every review, against the provider sandbox with a real
//! SQLite file and the real keyring (run under scripts/with-keyring.sh): a number never paid
//! from the account, and a number paid before under another name, are flagged; the others not.

mod common;

use guichet_core::payouts::{BatchLine, BatchPreview, BatchRequest, PayoutInput};
use guichet_types::UnifiedStatus;
use std::time::{Duration, Instant};

fn line(n: u32, phone: &str, name: &str) -> BatchLine {
    BatchLine {
        line: n,
        phone: phone.into(),
        amount: "5 000".into(),
        name: name.into(),
        reason: "Salaire décembre".into(),
        ..Default::default()
    }
}

fn request(lines: Vec<BatchLine>, content: &str) -> BatchRequest {
    BatchRequest {
        account: "Abidjan".into(),
        file_name: "paie-decembre.csv".into(),
        file_sha256: BatchRequest::sha256_of(content.as_bytes()),
        lines,
        ..Default::default()
    }
}

/// The beneficiary flags of a row, by code.
fn flags(p: &BatchPreview, line: u32) -> Vec<String> {
    let row = p.rows.iter().find(|r| r.line == line).unwrap();
    row.warnings
        .iter()
        .filter(|w| matches!(w.code.as_str(), "new_beneficiary" | "name_changed"))
        .map(|w| w.code.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_number_and_a_number_paid_under_another_name_are_flagged_in_the_batch_and_the_form() {
    let sb = common::settled_sandbox().await;
    let (_dir, g) = common::guichet_with_accounts(&sb);
    for (phone, name) in [("0707111111", "KONÉ Awa"), ("0505222222", "Kouassi Jean")] {
        g.send_payout(
            "Abidjan",
            PayoutInput {
                phone: phone.into(),
                amount: 10_000,
                name: name.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let paid = g.list_payouts(None, None, None, 10).unwrap();
    assert!(paid.iter().all(|p| p.status == UnifiedStatus::Succeeded));

    let lines = vec![
        line(2, "07 07 11 11 11", "KONAN Aya"),
        line(3, "0505222222", "  KOUASSI   jéan "),
        line(4, "0101999999", "Traoré Issa"),
        line(5, "0505222222", ""),
    ];
    let p = g
        .preview_batch(&request(lines, "paie-decembre"))
        .await
        .unwrap();
    assert_eq!(flags(&p, 2), ["name_changed"]);
    let changed = p.rows[0]
        .warnings
        .iter()
        .find(|w| w.code == "name_changed")
        .unwrap();
    assert_eq!(changed.value, "KONAN Aya");
    let before = changed.paid_before.as_ref().unwrap();
    assert_eq!(before.name, "KONÉ Awa");
    assert!(
        changed.message.starts_with("paid to KONÉ Awa in ")
            && changed.message.ends_with(", here: KONAN Aya"),
        "{}",
        changed.message
    );
    assert!(
        flags(&p, 3).is_empty(),
        "same name, other case, accents and spaces"
    );
    assert_eq!(flags(&p, 4), ["new_beneficiary"]);
    assert!(flags(&p, 5).is_empty(), "no name given: nothing to compare");
    assert_eq!((p.new_beneficiaries, p.names_changed), (1, 1));
    // Warned: the name changed (line 2) and line 5, the same as line 3; the new number is
    // counted apart, not as a row to look at.
    assert_eq!(p.warned, 2);
    assert!(p.blockers.is_empty(), "{:?}", p.blockers);

    // The single payout's form, with the name typed (or the contact's name).
    let draft = |phone: &'static str, name: &'static str| {
        let g = &g;
        async move {
            g.check_payout_draft("Abidjan", phone, "5000", name, false)
                .await
                .unwrap()
                .warnings
                .into_iter()
                .map(|w| w.code)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(draft("0707111111", "KONAN Aya").await, ["name_changed"]);
    assert!(draft("0707111111", "kone awa").await.is_empty());
    assert_eq!(
        draft("0101999999", "Traoré Issa").await,
        ["new_beneficiary"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_number_whose_payout_failed_was_never_paid() {
    let sb = common::settled_sandbox().await;
    let (_dir, g) = common::guichet_with_accounts(&sb);
    // Below CinetPay's bounds: refused before anything is paid.
    let _ = g
        .send_payout(
            "Abidjan",
            PayoutInput {
                phone: "0707333333".into(),
                amount: 100,
                name: "Yao Marc".into(),
                ..Default::default()
            },
        )
        .await;
    let p = g
        .preview_batch(&request(vec![line(2, "0707333333", "Yao Marc")], "yao"))
        .await
        .unwrap();
    assert_eq!(flags(&p, 2), ["new_beneficiary"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn five_thousand_rows_are_flagged_within_the_preview_budget() {
    let sb = common::settled_sandbox().await;
    let (_dir, g) = common::guichet_with_accounts(&sb);
    g.send_payout(
        "Abidjan",
        PayoutInput {
            phone: "0707000000".into(),
            amount: 10_000,
            name: "KONÉ Awa".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    g.sync_until_final(Duration::from_secs(20)).await.unwrap();
    let lines: Vec<_> = (0..5000u32)
        .map(|i| line(i + 2, &format!("07070{i:05}"), "KONAN Aya"))
        .collect();
    let started = Instant::now();
    let p = g
        .preview_batch(&request(lines, "five-thousand"))
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!((p.new_beneficiaries, p.names_changed), (4999, 1));
    assert_eq!(flags(&p, 2), ["name_changed"]);
    println!("5,000-row preview: {took:?}");
    assert!(
        took < Duration::from_secs(1),
        "5,000-row preview took {took:?}"
    );
}
