#!/usr/bin/env python3
"""The real-sized record of docs/performance.md: the crlm-high-risk hook request with its prefetch grown to the shape of
a long oncology history once the whole Condition and Procedure lists are read (300 Conditions, 2,000 Observations,
80 Procedures). What is added is everyday care the models do not read (comorbidities, routine laboratory results and
vital signs, endoscopies and scans), with the elements real EHR resources carry (meta, identifiers, encounters,
reference ranges), dated before the recurrence, so the card stays the standard example's.
  tests/Benchmarks/long-record.py EXAMPLE.hook.json > long.hook.json"""
import json, random, sys
from datetime import date, timedelta

CONDITIONS, OBSERVATIONS, PROCEDURES = 300, 2000, 80
SNOMED, LOINC, UCUM = "http://snomed.info/sct", "http://loinc.org", "http://unitsofmeasure.org"
COMORBIDITIES = [("38341003", "Hypertensive disorder"), ("44054006", "Diabetes mellitus type 2"), ("55822004", "Hyperlipidemia"),
                 ("13645005", "Chronic obstructive lung disease"), ("49436004", "Atrial fibrillation"), ("396275006", "Osteoarthritis"),
                 ("235595009", "Gastroesophageal reflux disease"), ("35489007", "Depressive disorder"), ("271737000", "Anemia"),
                 ("195967001", "Asthma"), ("399211009", "History of myocardial infarction"), ("68566005", "Urinary tract infectious disease")]
LABS = [("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 9, 16), ("6690-2", "Leukocytes [#/volume] in Blood", "10*3/uL", 3, 12),
        ("777-3", "Platelets [#/volume] in Blood", "10*3/uL", 120, 420), ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.5, 1.6),
        ("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 8, 60),
        ("1920-8", "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma", "U/L", 10, 55),
        ("1975-2", "Bilirubin.total [Mass/volume] in Serum or Plasma", "mg/dL", 0.2, 1.5), ("1751-7", "Albumin [Mass/volume] in Serum or Plasma", "g/dL", 3, 5),
        ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", 70, 180), ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 133, 146),
        ("2823-3", "Potassium [Moles/volume] in Serum or Plasma", "mmol/L", 3.3, 5.2)]
VITALS = [("8867-4", "Heart rate", "/min", 55, 100), ("29463-7", "Body weight", "kg", 60, 95), ("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 20, 32),
          ("8310-5", "Body temperature", "Cel", 36.1, 37.9)]
ROUTINE_PROCEDURES = [("73761001", "Colonoscopy"), ("1919006", "Upper gastrointestinal endoscopy"), ("169069000", "Computed tomography of chest"),
                      ("40701008", "Echocardiography"), ("116859006", "Transfusion of blood product"), ("16310003", "Ultrasonography of abdomen")]

def main(path):
    hook = json.load(open(path))
    rng = random.Random(2400)
    patient = hook["context"]["patientId"]
    prefetch = hook["prefetch"]
    first, last = date(2008, 1, 1), date(2023, 6, 20)
    def day():
        return (first + timedelta(days=rng.randrange((last - first).days))).isoformat()
    def common(kind, n, when):
        return {"resourceType": kind, "id": f"long-{kind.lower()}-{n}",
                "meta": {"versionId": "1", "lastUpdated": f"{when}T09:30:00Z"},
                "identifier": [{"system": "urn:oid:1.2.840.114350.1.13.0.1.7.2.798268", "value": f"{kind[0]}{n:07d}"}],
                "subject": {"reference": f"Patient/{patient}"}, "encounter": {"reference": f"Encounter/long-enc-{rng.randrange(400)}"}}

    conditions = prefetch["conditions"]["entry"]
    for n in range(CONDITIONS - len(conditions)):
        when = day()
        code, display = rng.choice(COMORBIDITIES)
        resource = common("Condition", n, when) | {
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": rng.choice(["active", "resolved"])}]},
            "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
            "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
            "onsetDateTime": when, "recordedDate": when}
        conditions.append({"fullUrl": f"urn:uuid:long-condition-{n}", "resource": resource})

    observations = prefetch["observations"]["entry"]
    for n in range(OBSERVATIONS - len(observations)):
        when = day()
        vital = rng.random() < 0.25
        code, display, unit, low, high = rng.choice(VITALS if vital else LABS)
        resource = common("Observation", n, when) | {
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs" if vital else "laboratory"}]}],
            "code": {"coding": [{"system": LOINC, "code": code, "display": display}], "text": display},
            "effectiveDateTime": f"{when}T08:{rng.randrange(60):02d}:00+01:00", "issued": f"{when}T11:00:00+01:00",
            "performer": [{"reference": "Organization/long-lab"}],
            "valueQuantity": {"value": round(rng.uniform(low, high), 1), "unit": unit, "system": UCUM, "code": unit},
            "referenceRange": [{"low": {"value": low, "unit": unit, "system": UCUM, "code": unit},
                                "high": {"value": high, "unit": unit, "system": UCUM, "code": unit}}]}
        observations.append({"fullUrl": f"urn:uuid:long-observation-{n}", "resource": resource})

    procedures = prefetch["procedures"]["entry"]
    for n in range(PROCEDURES - len(procedures)):
        when = day()
        code, display = rng.choice(ROUTINE_PROCEDURES)
        resource = common("Procedure", n, when) | {
            "status": "completed", "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
            "performedDateTime": f"{when}T10:00:00+01:00", "performer": [{"actor": {"reference": "Practitioner/long-doctor"}}]}
        procedures.append({"fullUrl": f"urn:uuid:long-procedure-{n}", "resource": resource})

    for key in ("conditions", "observations", "procedures"):
        prefetch[key]["total"] = len(prefetch[key]["entry"])
    json.dump(hook, sys.stdout, separators=(",", ":"))

main(sys.argv[1])
