package dev.berth.app.volumes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VolumesValidationTest {

    @Test
    void aNameIsOptionalButFollowsDockersRule() {
        assertThat(VolumesViewModel.validate("", false, "", "")).isNull();
        assertThat(VolumesViewModel.validate("data_1.x-y", false, "", "k=v")).isNull();
        assertThat(VolumesViewModel.validate("a", false, "", "").key()).isEqualTo("volumes.validation.name");
        assertThat(VolumesViewModel.validate("bad/name", false, "", "").args()).containsExactly("bad/name");
    }

    @Test
    void aTmpfsSizeIsANumberWithAUnit() {
        assertThat(VolumesViewModel.validate("t", true, "64m", "")).isNotNull(); // one-character name
        assertThat(VolumesViewModel.validate("tt", true, "64m", "")).isNull();
        assertThat(VolumesViewModel.validate("tt", true, "lots", "").key()).isEqualTo("volumes.validation.size");
        assertThat(VolumesViewModel.validate("tt", false, "lots", "")).as("ignored without tmpfs").isNull();
        assertThat(VolumesViewModel.validate("tt", false, "", "=x").key()).isEqualTo("volumes.validation.label");
    }

    @Test
    void permissionsReadLikeLs() {
        assertThat(VolumeBrowserDialog.permissions(0750)).isEqualTo("rwxr-x---");
        assertThat(VolumeBrowserDialog.permissions(0644)).isEqualTo("rw-r--r--");
    }
}
