package dev.imagegate.scan.osv;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * NVD's CVSS vectors for one CVE, all the scan keeps of an NVD record: NVD's own metric ({@code nvd@nist.gov}) when it
 * has one, else the first one listed (a CNA's), as Trivy's database does.
 *
 * @param v3 the CVSS v3.x vector ({@code CVSS:3.1/AV:N/…}), or null
 * @param v2 the CVSS v2 vector ({@code AV:N/AC:L/Au:N/…}), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NvdCvss(String v3, String v2) {}
