//! The devnet's metadata has the same shapes as real finney metadata.

use std::io::Write;
use std::path::PathBuf;

use frame_metadata::{RuntimeMetadata, RuntimeMetadataPrefixed};
use parity_scale_codec::Decode;
use pylon_devnet::{
    conformance,
    metadata::{EncodedMetadata, RuntimeFlavor},
};

/// Where the reference blob lives: `PYLON_REFERENCE_METADATA`, or `../shared/chain/` beside the
/// checkout. It is never part of the repository.
fn reference_path() -> PathBuf {
    std::env::var_os("PYLON_REFERENCE_METADATA").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/chain/finney-spec393.metadata.scale")
    })
}

/// The reference metadata, or `None` after saying on stderr (past the test harness's output
/// capture, so it shows in every run) that the test is skipped. Under CI (`CI=true`) a missing
/// reference fails the test instead: a skipped conformance check must not pass for a run.
pub fn reference() -> Option<frame_metadata::v16::RuntimeMetadataV16> {
    let path = reference_path();
    let Ok(bytes) = std::fs::read(&path) else {
        crate::common::require_outside_prerequisite(&format!(
            "the reference metadata at {} (or PYLON_REFERENCE_METADATA)",
            path.display()
        ));
        let _ = writeln!(
            std::io::stderr(),
            "skipped: reference metadata not found at {}",
            path.display()
        );
        return None;
    };
    Some(conformance::decode_reference(&bytes).expect("reference metadata decodes"))
}

#[test]
fn devnet_metadata_matches_finney() {
    let Some(reference) = reference() else { return };
    let encoded =
        EncodedMetadata::build(RuntimeFlavor::Current, pylon_devnet::metadata::FINNEY_SLOT_MS);
    let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(dev)) =
        RuntimeMetadataPrefixed::decode(&mut &encoded.v15[..]).expect("devnet V15 decodes")
    else {
        panic!("devnet served something other than V15");
    };
    let report = conformance::compare(&dev, &reference);
    // The spec-393 flavor serves exactly the reference's runtime APIs: none is skipped.
    let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(legacy)) =
        pylon_devnet::metadata::v15_for(RuntimeFlavor::Spec393)
    else {
        panic!("V15 expected");
    };
    let legacy_report = conformance::compare(&legacy, &reference);
    assert!(legacy_report.differences.is_empty(), "{}", legacy_report.differences.join("\n"));
    let methods = |m: &frame_metadata::v15::RuntimeMetadataV15| {
        m.apis.iter().map(|a| a.methods.len()).sum::<usize>()
    };
    assert_eq!(methods(&dev), methods(&legacy) + conformance::NEWER_THAN_REFERENCE.len());
    assert!(
        report.differences.is_empty(),
        "{} differences from {}:\n{}",
        report.differences.len(),
        reference_path().display(),
        report.differences.join("\n")
    );
    assert!(report.items > 100, "compared only {} items", report.items);
}

#[test]
fn conformance_reports_a_changed_index_and_hasher() {
    let Some(reference) = reference() else { return };
    let RuntimeMetadataPrefixed(_, RuntimeMetadata::V15(mut dev)) =
        pylon_devnet::metadata::v15_prefixed()
    else {
        panic!("devnet built something other than V15");
    };
    let subtensor = dev.pallets.iter_mut().find(|p| p.name == "SubtensorModule").expect("pallet");
    subtensor.index = 8;
    let keys = subtensor
        .storage
        .as_mut()
        .and_then(|s| s.entries.iter_mut().find(|e| e.name == "Keys"))
        .expect("Keys entry");
    if let frame_metadata::v14::StorageEntryType::Map { hashers, .. } = &mut keys.ty {
        hashers[1] = frame_metadata::v14::StorageHasher::Twox64Concat;
    }
    let report = conformance::compare(&dev, &reference);
    let all = report.differences.join("\n");
    assert!(all.contains("SubtensorModule: index 8 != 7"), "{all}");
    assert!(all.contains("SubtensorModule.Keys (storage): hashers"), "{all}");
}
