package core

// Media is the audio engine as core sees it: the devices and the microphone.
// The audio package implements it; core never imports it.
type Media interface {
	Devices() ([]MediaDevice, error)
	SetMicrophone(id string) error
	SetSpeaker(id string) error
	SetRinger(id string) error
	SetMuted(muted bool)
}
