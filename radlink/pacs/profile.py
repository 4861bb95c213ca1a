"""The attribute actions of DICOM PS3.15 Annex E, Table E.1-1, as radlink applies them (data only).

Action codes are the standard's: ``X`` remove, ``Z`` empty (zero-length), ``K`` keep,
``C`` clean (free text through :func:`radlink.privacy.deidentify`), ``U`` replace the
UID by a keyed one. The table lists attributes by pydicom keyword; an attribute may
appear at any depth of a sequence.

What is not in the table is handled by value representation in
:mod:`radlink.pacs.deidentify_dicom`: every UID that is not a standard one is replaced,
every ``DA``/``DT`` moves by the patient's offset (the Retain Longitudinal Temporal
Information with Modified Dates option), every person name (``PN``) is removed, text
(``LO``, ``SH``, ``ST``, ``LT``, ``UT``, ``UC``) is cleaned, private attributes and the
curve and overlay groups (50xx, 60xx) are removed.

Source: DICOM PS3.15 (2024), Annex E, Table E.1-1 "Application Level Confidentiality
Profile Attributes"; the options' columns for "Retain Patient Characteristics" and
"Clean Descriptors".
"""

from __future__ import annotations

__all__ = ["BASIC_PROFILE", "PATIENT_CHARACTERISTICS", "CLEAN_DESCRIPTORS", "METHOD_CODES",
           "BURNED_IN_SOP_CLASSES", "BURNED_IN_MODALITIES"]

_REMOVE = """
AcquisitionComments AcquisitionContextSequence AcquisitionDeviceProcessingDescription
AcquisitionProtocolDescription ActualHumanPerformersSequence AdditionalPatientHistory AdmissionID
AdmittingDiagnosesCodeSequence AdmittingDiagnosesDescription Allergies Arbitrary
AuthorObserverSequence BranchOfService CassetteID CommentsOnThePerformedProcedureStep
ConfidentialityConstraintOnPatientDataDescription ContentCreatorIdentificationCodeSequence
ContributionDescription CountryOfResidence CurrentPatientLocation CustodialOrganizationSequence
DataSetTrailingPadding DerivationDescription DetectorID DeviceSerialNumber DigitalSignaturesSequence
DischargeDiagnosisDescription DistributionAddress DistributionName EthnicGroup FrameComments
GantryID GeneratorID HumanPerformerName HumanPerformerOrganization IconImageSequence
IdentifyingComments ImageComments ImagePresentationComments ImagingServiceRequestComments
Impressions InstitutionAddress InstitutionCodeSequence InstitutionName InstitutionalDepartmentName
InsurancePlanIdentification IntendedRecipientsOfResultsIdentificationSequence
InterpretationApproverSequence InterpretationAuthor InterpretationDiagnosisDescription
InterpretationIDIssuer InterpretationRecorder InterpretationText InterpretationTranscriber
IssuerOfAdmissionID IssuerOfPatientID IssuerOfServiceEpisodeID MAC MedicalAlerts
MedicalRecordLocator MilitaryRank ModifiedAttributesSequence ModifiedImageDescription
ModifyingDeviceID NameOfPhysiciansReadingStudy NamesOfIntendedRecipientsOfResults Occupation
OperatorIdentificationSequence OperatorsName OrderCallbackPhoneNumber OrderEnteredBy
OrderEntererLocation OriginalAttributesSequence OtherPatientIDs OtherPatientIDsSequence
OtherPatientNames ParticipantSequence PatientAddress PatientAge PatientBirthName PatientBirthTime
PatientComments PatientInsurancePlanCodeSequence PatientMotherBirthName
PatientPrimaryLanguageCodeSequence PatientReligiousPreference PatientSexNeutered PatientSize
PatientState PatientTelephoneNumbers PatientTransportArrangements PatientWeight PerformedLocation
PerformedProcedureStepDescription PerformedProcedureStepID PerformingPhysicianIdentificationSequence
PerformingPhysicianName PersonAddress PersonTelephoneNumbers PhysicianApprovingInterpretation
PhysiciansOfRecord PhysiciansOfRecordIdentificationSequence
PhysiciansReadingStudyIdentificationSequence PlateID PreMedication PregnancyStatus ProtocolName
ReasonForTheImagingServiceRequest ReasonForStudy ReferencedDigitalSignatureSequence
ReferencedPatientAliasSequence ReferencedPatientSequence ReferencedPerformedProcedureStepSequence
ReferencedSOPInstanceMACSequence ReferencedStudySequence ReferringPhysicianAddress
ReferringPhysicianIdentificationSequence ReferringPhysicianTelephoneNumbers RegionOfResidence
RequestAttributesSequence RequestedContrastAgent RequestedProcedureComments
RequestedProcedureDescription RequestedProcedureID RequestedProcedureLocation RequestingPhysician
RequestingService ResponsibleOrganization ResponsiblePerson ResultsComments
ResultsDistributionListSequence ResultsIDIssuer ReviewerName ScheduledHumanPerformersSequence
ScheduledPatientInstitutionResidence ScheduledPerformingPhysicianIdentificationSequence
ScheduledPerformingPhysicianName ScheduledProcedureStepDescription SeriesDescription
ServiceEpisodeDescription ServiceEpisodeID SmokingStatus SpecialNeeds StationName StudyComments
StudyDescription StudyIDIssuer TextComments TextString TopicAuthor TopicKeywords TopicSubject
TopicTitle VerifyingOrganization VisitComments
"""

_EMPTY = """
AccessionNumber ContentCreatorName FillerOrderNumberImagingServiceRequest PatientBirthDate
PatientSex PlacerOrderNumberImagingServiceRequest ReferringPhysicianName StudyID
VerifyingObserverIdentificationCodeSequence
"""

BASIC_PROFILE: dict[str, str] = {
    **dict.fromkeys(_REMOVE.split(), "X"),
    **dict.fromkeys(_EMPTY.split(), "Z"),
}
"""Keyword -> action of the Basic Profile (UIDs, dates and names are handled by VR)."""

PATIENT_CHARACTERISTICS: frozenset[str] = frozenset(
    "PatientAge PatientSex PatientSize PatientWeight EthnicGroup PregnancyStatus SmokingStatus "
    "PatientSexNeutered SpecialNeeds PatientState".split())
"""Kept (``K``) with the Retain Patient Characteristics option."""

CLEAN_DESCRIPTORS: frozenset[str] = frozenset(
    "StudyDescription SeriesDescription ProtocolName ImageComments AcquisitionComments "
    "PerformedProcedureStepDescription RequestedProcedureDescription "
    "ScheduledProcedureStepDescription DerivationDescription AdditionalPatientHistory "
    "AdmittingDiagnosesDescription ReasonForStudy ContributionDescription FrameComments "
    "ImagePresentationComments AcquisitionDeviceProcessingDescription "
    "AcquisitionProtocolDescription".split())
"""Kept and cleaned (``C``) with the Clean Descriptors option: radlink always applies it,
with the same de-identifier as report text."""

METHOD_CODES: dict[str, str] = {
    "113100": "Basic Application Confidentiality Profile",
    "113105": "Clean Descriptors Option",
    "113107": "Retain Longitudinal Temporal Information Modified Dates Option",
    "113108": "Retain Patient Characteristics Option",
}
"""CID 7050 De-identification Method codes (scheme DCM) radlink may write."""

BURNED_IN_SOP_CLASSES: dict[str, str] = {
    "1.2.840.10008.5.1.4.1.1.7": "Secondary Capture Image Storage",
    "1.2.840.10008.5.1.4.1.1.7.1": "Multi-frame Single Bit Secondary Capture Image Storage",
    "1.2.840.10008.5.1.4.1.1.7.2": "Multi-frame Grayscale Byte Secondary Capture Image Storage",
    "1.2.840.10008.5.1.4.1.1.7.3": "Multi-frame Grayscale Word Secondary Capture Image Storage",
    "1.2.840.10008.5.1.4.1.1.7.4": "Multi-frame True Color Secondary Capture Image Storage",
    "1.2.840.10008.5.1.4.1.1.104.1": "Encapsulated PDF Storage",
    "1.2.840.10008.5.1.4.1.1.6.1": "Ultrasound Image Storage",
    "1.2.840.10008.5.1.4.1.1.3.1": "Ultrasound Multi-frame Image Storage",
}
"""SOP classes whose pixels often carry burned-in text (screenshots, documents, ultrasound)."""

BURNED_IN_MODALITIES: frozenset[str] = frozenset({"US", "SC", "OT", "DOC", "XC", "ES"})
"""Modalities whose images often carry burned-in text."""
