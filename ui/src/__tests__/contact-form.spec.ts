import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n } from '../i18n'
import ContactForm from '../components/ContactForm.vue'

describe('logging a contact takes seconds', () => {
  it('opens on phone, with the time left to the moment of saving', () => {
    const wrapper = mount(ContactForm, { props: { clientId: 1 }, global: { plugins: [i18n] } })
    const at = wrapper.get('[data-testid="contact-at"]').element as HTMLInputElement
    expect(at.value).toBe('')
    expect(at.placeholder).toBe('现在（保存时）')
    expect((wrapper.get('[data-testid="contact-channel"]').element as HTMLSelectElement).value).toBe('phone')
    expect(wrapper.find('[data-testid="contact-response-due"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('asks for a response date only for complaints', async () => {
    const wrapper = mount(ContactForm, { props: { clientId: 1 }, global: { plugins: [i18n] } })
    await wrapper.get('[data-testid="contact-complaint"]').setValue(true)
    expect(wrapper.find('[data-testid="contact-response-due"]').exists()).toBe(true)
  })
})
